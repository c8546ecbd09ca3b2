import { CryptoError, CryptoErrorCode, invalidInput } from '../errors.js';

export const GCM_TAG_LENGTH = 16;

export function decryptionFailed(): CryptoError {
  return new CryptoError(
    CryptoErrorCode.DecryptionFailed,
    'authenticated decryption failed: wrong key, or the ciphertext, tag, nonce or bound metadata was altered',
  );
}

export function assertNotAllZero(sharedSecret: Uint8Array): Uint8Array {
  let acc = 0;
  for (const b of sharedSecret) acc |= b;
  if (acc === 0)
    throw invalidInput('publicKey', 'is a low-order X25519 point (shared secret is zero)');
  return sharedSecret;
}

/** scrypt needs 128·N·r bytes; allow that plus headroom. */
export function scryptMaxMemory(N: number, r: number): number {
  return 128 * N * r * 2 + 1024 * 1024;
}
