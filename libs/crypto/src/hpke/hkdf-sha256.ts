import type { KDF } from 'hpke';

import type { CryptoBackend } from '../backend/types.js';
import { zeroize } from '../bytes.js';

/** Output length of HMAC-SHA256, RFC 9180's `Nh` for HKDF-SHA256. */
export const HASH_LENGTH = 32;
const MAX_OUTPUT_LENGTH = 255 * HASH_LENGTH;

/** RFC 5869 section 2.2: an absent salt is a string of HashLen zero bytes. */
const ZERO_SALT = new Uint8Array(HASH_LENGTH);

/**
 * HKDF-SHA256 (RFC 5869), HPKE KDF id 0x0001, on the given backend's HMAC-SHA256. Buffers this
 * function allocates for intermediate output blocks are erased before it returns.
 */
export function hkdfSha256(backend: CryptoBackend): KDF {
  return {
    id: 0x0001,
    type: 'KDF',
    name: 'HKDF-SHA256',
    Nh: HASH_LENGTH,
    stages: 2,

    async Extract(salt, ikm) {
      return backend.hmacSha256(salt.length === 0 ? ZERO_SALT : salt, ikm);
    },

    async Expand(prk, info, L) {
      return hkdfExpand(backend, prk, info, L);
    },

    async Derive() {
      throw new Error('HKDF-SHA256 is a two-stage KDF: one-stage Derive is not defined');
    },
  };
}

/** RFC 5869 section 2.3: T(i) = HMAC(PRK, T(i-1) || info || i), output the first L bytes. */
export function hkdfExpand(
  backend: CryptoBackend,
  prk: Uint8Array,
  info: Uint8Array,
  L: number,
): Uint8Array {
  if (prk.length < HASH_LENGTH)
    throw new RangeError(`HKDF PRK must be at least ${HASH_LENGTH} bytes`);
  if (!Number.isSafeInteger(L) || L < 1 || L > MAX_OUTPUT_LENGTH) {
    throw new RangeError(`HKDF output length must be between 1 and ${MAX_OUTPUT_LENGTH}`);
  }

  // Every HPKE use asks for at most one block: one HMAC, no chaining.
  if (L <= HASH_LENGTH) {
    const input = new Uint8Array(info.length + 1);
    input.set(info);
    input[info.length] = 1;
    const block = backend.hmacSha256(prk, input);
    if (L === HASH_LENGTH) return block;
    const out = block.slice(0, L);
    zeroize(block);
    return out;
  }

  const blocks = Math.ceil(L / HASH_LENGTH);
  const okm = new Uint8Array(blocks * HASH_LENGTH);
  const input = new Uint8Array(HASH_LENGTH + info.length + 1);
  let previous: Uint8Array = new Uint8Array(0);
  for (let i = 1; i <= blocks; i++) {
    const length = previous.length + info.length + 1;
    input.set(previous);
    input.set(info, previous.length);
    input[length - 1] = i;
    const block = backend.hmacSha256(prk, input.subarray(0, length));
    okm.set(block, (i - 1) * HASH_LENGTH);
    zeroize(previous);
    previous = block;
  }
  zeroize(previous, input);
  if (okm.length === L) return okm;
  const out = okm.slice(0, L);
  zeroize(okm);
  return out;
}
