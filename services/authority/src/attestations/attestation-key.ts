import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import {
  createKeystore,
  generateParticipantKeys,
  parseKeystore,
  toBase64Url,
  unlockKeystore,
} from '@sec-health/crypto';
import { v7 as uuidv7 } from 'uuid';

/** The authority's own identity as attestation issuer: an id and an Ed25519 key. */
export interface AttestationKey {
  readonly issuerId: string;
  readonly secretKey: Uint8Array;
  /** base64url. */
  readonly publicKey: string;
}

export function attestationKeyPath(home: string): string {
  return join(home, 'authority', 'attestation-key.json');
}

/**
 * Unlocks the authority's attestation keystore, creating it (fresh keys, new issuer id) on the
 * first start. Created with an exclusive open, so two processes starting at once agree on one key.
 */
export async function loadOrCreateAttestationKey(
  home: string,
  passphrase: string,
): Promise<AttestationKey> {
  const path = attestationKeyPath(home);
  let text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) {
    const keys = generateParticipantKeys();
    const keystore = await createKeystore(keys, passphrase, { participantId: uuidv7() });
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    try {
      await writeFile(path, `${JSON.stringify(keystore, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    text = await readFile(path, 'utf8');
  }
  const file = parseKeystore(text);
  if (!file.participantId) throw new Error(`${path}: the keystore names no issuer id`);
  const keys = await unlockKeystore(file, passphrase);
  return {
    issuerId: file.participantId,
    secretKey: keys.signing.secretKey,
    publicKey: toBase64Url(keys.signing.publicKey),
  };
}
