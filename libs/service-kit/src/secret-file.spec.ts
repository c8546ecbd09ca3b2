import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { ConfigError } from './config.js';
import { readSecretFile } from './secret-file.js';

const dir = mkdtempSync(join(tmpdir(), 'secret-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

describe('readSecretFile', () => {
  it('reads a 0600 file, trimmed', () => {
    expect(readSecretFile('KEY_FILE', file('ok', ' SUABC \n', 0o600))).toBe('SUABC');
  });

  it.each([
    ['readable by others', () => file('open', 'x', 0o644), 'mode 644'],
    ['readable by the group', () => file('group', 'x', 0o640), 'mode 640'],
    ['empty', () => file('empty', '\n', 0o600), 'is empty'],
    ['missing', () => join(dir, 'missing'), 'ENOENT'],
  ])('refuses a file %s, naming the variable but never the content', (_what, path, problem) => {
    let error: unknown;
    try {
      readSecretFile('KEY_FILE', path());
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variables).toEqual(['KEY_FILE']);
    expect((error as ConfigError).message).toContain(problem);
    expect((error as ConfigError).message).not.toContain('SUABC');
  });
});
