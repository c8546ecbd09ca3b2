import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createKeystore, generateParticipantKeys, type KeystoreFile } from '@sec-health/crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { ClientErrorCode, isClientError } from '../errors.js';
import type { ProfileFile } from './profile.js';
import { ProfileStore } from './profile-store.js';

let keystore: KeystoreFile;
let home: string;
let store: ProfileStore;

beforeAll(async () => {
  keystore = await createKeystore(generateParticipantKeys(), 'correct horse', {
    scrypt: { N: 1024, r: 8, p: 1 },
  });
});
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'sechealth-profiles-'));
  store = new ProfileStore(home);
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

function profile(name = 'alice', extra: Partial<ProfileFile> = {}): ProfileFile {
  return {
    version: 1,
    name,
    apiUrl: 'http://127.0.0.1:8080',
    participantId: null,
    role: 'patient',
    keystore,
    ...extra,
  };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isClientError(error) && error.code).toBe(code);
  return error as Error;
}

describe('ProfileStore', () => {
  it('keeps the keys a rotation retired, by key version, and refuses a damaged list', async () => {
    const retiredKeys = [{ keyVersion: 1, keystore }];
    await store.save(profile('rotated', { retiredKeys }));
    expect((await store.read('rotated')).retiredKeys).toEqual(retiredKeys);
    const path = join(home, 'profiles', 'rotated.json');
    const text = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify({ ...text, retiredKeys: [{ keyVersion: 0, keystore }] }));
    await expectCode(store.read('rotated'), ClientErrorCode.ProfileCorrupt);
  });

  it('writes <home>/profiles/<name>.json with mode 0600 and reads it back', async () => {
    const path = await store.create(profile());
    expect(path).toBe(join(home, 'profiles', 'alice.json'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await store.read('alice')).toEqual(profile());
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({
      version: 1,
      participantId: null,
    });
  });

  it('refuses to replace an existing profile unless forced', async () => {
    await store.create(profile());
    await expectCode(store.create(profile()), ClientErrorCode.ProfileExists);
    await store.create(profile('alice', { role: 'attendant' }), { force: true });
    expect((await store.read('alice')).role).toBe('attendant');
  });

  it('saves atomically: no temporary files are left and the mode stays 0600', async () => {
    await store.create(profile());
    const session = { token: 'tok', expiresAt: new Date().toISOString() };
    const path = await store.save(
      profile('alice', { participantId: crypto.randomUUID(), session }),
    );
    expect((await store.read('alice')).session).toEqual(session);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(home, 'profiles'))).toEqual(['alice.json']);
  });

  it('reports a missing profile with the command that creates it', async () => {
    const error = await expectCode(store.read('bob'), ClientErrorCode.ProfileNotFound);
    expect(error.message).toContain('sechealth init --profile bob');
  });

  it('rejects a name that could leave the profiles folder', () => {
    expect(() => store.pathOf('../evil')).toThrow(/not valid/);
  });

  it('rejects another format version and corrupt files with typed errors', async () => {
    const path = await store.create(profile());
    const good = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;

    await writeFile(path, JSON.stringify({ ...good, version: 2 }));
    await expectCode(store.read('alice'), ClientErrorCode.ProfileUnsupportedVersion);

    const corrupt = async (text: string, problem: RegExp) => {
      await writeFile(path, text);
      const error = await expectCode(store.read('alice'), ClientErrorCode.ProfileCorrupt);
      expect(error.message).toMatch(problem);
    };
    await corrupt('{ not json', /not valid JSON/);
    await corrupt(JSON.stringify({ ...good, role: 'wizard' }), /role/);
    await corrupt(JSON.stringify({ ...good, participantId: 7 }), /participantId/);
    await corrupt(JSON.stringify({ ...good, extra: true }), /unknown field "extra"/);
    await corrupt(JSON.stringify({ ...good, session: { token: 1 } }), /session/);
    const keystoreCopy = { ...(good.keystore as Record<string, unknown>), ciphertext: 'AA' };
    await corrupt(JSON.stringify({ ...good, keystore: keystoreCopy }), /keystore/);
  });
});
