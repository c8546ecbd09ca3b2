import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { writePrivateFile } from './private-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sechealth-private-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writePrivateFile', () => {
  it('writes the bytes readable by the owner only, and returns the absolute path', async () => {
    const path = join(dir, 'record.json');
    expect(await writePrivateFile(path, new TextEncoder().encode('{"a":1}'))).toBe(path);
    expect(await readFile(path, 'utf8')).toBe('{"a":1}');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('narrows the mode of a file that existed, and leaves no partial file behind', async () => {
    const path = join(dir, 'old.txt');
    await writeFile(path, 'previous', { mode: 0o644 });
    await writePrivateFile(path, new Uint8Array([1, 2, 3]));
    expect([...(await readFile(path))]).toEqual([1, 2, 3]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['old.txt']);
  });

  it('fails with the path when the directory does not exist', async () => {
    await expect(
      writePrivateFile(join(dir, 'missing', 'x'), new Uint8Array(1)),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
