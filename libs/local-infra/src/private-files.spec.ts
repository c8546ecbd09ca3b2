import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ensurePrivateDir, restrictToOwner, writePrivateFile } from './private-files.js';

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('private files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sec-health-private-spec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('ensurePrivateDir creates 0700 directories and narrows an existing wide one', () => {
    const created = ensurePrivateDir(join(dir, 'a', 'b'));
    expect(mode(created)).toBe(0o700);
    const wide = join(dir, 'wide');
    mkdirSync(wide, { mode: 0o755 });
    chmodSync(wide, 0o755);
    ensurePrivateDir(wide);
    expect(mode(wide)).toBe(0o700);
  });

  it('writePrivateFile writes 0600, replaces a wide file, and leaves no temp file', () => {
    const file = join(dir, 'secret');
    writeFileSync(file, 'old', { mode: 0o644 });
    chmodSync(file, 0o644);
    writePrivateFile(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(mode(file)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['secret']);
  });

  it('restrictToOwner narrows an existing file and ignores a missing one', () => {
    const file = join(dir, 'log');
    writeFileSync(file, 'x');
    chmodSync(file, 0o644);
    restrictToOwner(file);
    expect(mode(file)).toBe(0o600);
    restrictToOwner(join(dir, 'missing'));
  });
});
