import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import {
  createKeystore,
  generateParticipantKeys,
  parseKeystore,
  type KeystoreFile,
} from '@sec-health/crypto';
import type { Role } from '@sec-health/protocol';
import { v7 as uuidv7 } from 'uuid';

/** A CLI profile file, `<SECHEALTH_HOME>/profiles/<name>.json` (read by libs/client). */
export interface ProfileFile {
  readonly version: 1;
  readonly name: string;
  readonly apiUrl: string;
  readonly participantId: string;
  readonly role: Role;
  readonly keystore: KeystoreFile;
}

export const DEFAULT_API_URL = 'http://127.0.0.1:8080';

export function profilePath(home: string, name: string): string {
  return join(home, 'profiles', `${name}.json`);
}

/**
 * The profile `name`, created with fresh keys and a new id when missing. The file is written
 * before the database row, so a crash in between leaves keys a rerun picks up, never a
 * participant whose keys are lost.
 */
export async function ensureProfile(
  home: string,
  name: string,
  role: Role,
  passphrase: string,
): Promise<{ profile: ProfileFile; created: boolean }> {
  const path = profilePath(home, name);
  const existing = await readProfile(path);
  if (existing) {
    if (existing.role !== role) throw new Error(`${path}: role ${existing.role}, expected ${role}`);
    return { profile: existing, created: false };
  }
  const participantId = uuidv7();
  const keystore = await createKeystore(generateParticipantKeys(), passphrase, { participantId });
  const profile: ProfileFile = {
    version: 1,
    name,
    apiUrl: DEFAULT_API_URL,
    participantId,
    role,
    keystore,
  };
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(profile, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  return { profile, created: true };
}

async function readProfile(path: string): Promise<ProfileFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const value = JSON.parse(text) as ProfileFile;
  if (value.version !== 1 || typeof value.participantId !== 'string') {
    throw new Error(`${path}: not a version 1 profile`);
  }
  return { ...value, keystore: parseKeystore(value.keystore) };
}
