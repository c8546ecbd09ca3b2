import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { anvilArgs } from './anvil.js';
import { checkoutDatabaseName } from './databases.js';
import { findExecutable, natsServerPath } from './executables.js';

describe('small helpers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sec-health-exec-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('findExecutable looks in PATH, then the extra dirs, and only at executables', () => {
    const tool = join(dir, 'tool');
    writeFileSync(tool, '#!/bin/sh\n');
    chmodSync(tool, 0o755);
    writeFileSync(join(dir, 'data'), '');
    expect(findExecutable('tool', [], { PATH: dir })).toBe(tool);
    expect(findExecutable('tool', [dir], { PATH: '' })).toBe(tool);
    expect(findExecutable('tool', [], { PATH: '' })).toBeUndefined();
    expect(findExecutable('data', [dir], { PATH: '' })).toBeUndefined();
    expect(findExecutable(tool, [], { PATH: '' })).toBe(tool);
    expect(natsServerPath({ PATH: '', NATS_SERVER_BIN: tool }, [])).toBe(tool);
  });

  it('checkoutDatabaseName is stable per path and a valid identifier', () => {
    const a = checkoutDatabaseName('/work/main');
    expect(a).toMatch(/^sechealth_[0-9a-f]{10}$/);
    expect(checkoutDatabaseName('/work/main')).toBe(a);
    expect(checkoutDatabaseName('/work/other')).not.toBe(a);
  });

  it('anvilArgs', () => {
    expect(anvilArgs({ port: 8545 })).toEqual([
      ...['--host', '127.0.0.1', '--port', '8545', '--chain-id', '31337'],
    ]);
    expect(
      anvilArgs({
        port: 1,
        host: '0.0.0.0',
        chainId: 5,
        silent: true,
        stateFile: '/s.json',
        stateIntervalSeconds: 5,
        blockTimeSeconds: 1,
      }),
    ).toEqual([
      ...['--host', '0.0.0.0', '--port', '1', '--chain-id', '5', '--silent'],
      ...['--state', '/s.json', '--state-interval', '5', '--block-time', '1'],
    ]);
  });
});
