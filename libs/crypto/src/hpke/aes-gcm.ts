import type { AEAD } from 'hpke';

import type { CryptoBackend } from '../backend/types.js';
import { GCM_TAG_LENGTH } from '../backend/shared.js';

export type WrapAead = 'aes-256-gcm' | 'aes-128-gcm';

const NONCE_LENGTH = 12;
/** RFC 9180 section 7.3 / RFC 5116: the largest plaintext AES-GCM may encrypt, 2^36 - 31 bytes. */
const P_MAX = 2 ** 36 - 31;

const VARIANTS = {
  'aes-256-gcm': { id: 0x0002, name: 'AES-256-GCM', Nk: 32 },
  'aes-128-gcm': { id: 0x0001, name: 'AES-128-GCM', Nk: 16 },
} as const;

/**
 * AES-GCM for HPKE (AEAD id 0x0002 for AES-256, 0x0001 for AES-128) on the backend's AES-GCM.
 * Open throws the backend's CryptoError(DecryptionFailed); hpke wraps it in its OpenError and
 * key-wrap.ts reports it as UnwrapFailed.
 */
export function aesGcm(backend: CryptoBackend, variant: WrapAead): AEAD {
  const { id, name, Nk } = VARIANTS[variant];
  const checkKey = (key: Uint8Array, nonce: Uint8Array): void => {
    if (key.length !== Nk) throw new RangeError(`${name} key must be ${Nk} bytes`);
    if (nonce.length !== NONCE_LENGTH)
      throw new RangeError(`${name} nonce must be ${NONCE_LENGTH} bytes`);
  };
  return {
    id,
    type: 'AEAD',
    name,
    Nk,
    Nn: NONCE_LENGTH,
    Nt: GCM_TAG_LENGTH,

    async Seal(key, nonce, aad, plaintext) {
      checkKey(key, nonce);
      if (plaintext.length > P_MAX) throw new RangeError(`${name} plaintext exceeds P_MAX`);
      return await backend.aesGcmSeal(key, nonce, aad, plaintext);
    },

    async Open(key, nonce, aad, ciphertext) {
      checkKey(key, nonce);
      return await backend.aesGcmOpen(key, nonce, aad, ciphertext);
    },
  };
}
