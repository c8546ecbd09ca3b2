import { backend } from './backend/active.js';
import { assertInteger } from './bytes.js';

export const DATA_KEY_LENGTH = 32;

/** Cryptographically secure random bytes. */
export function randomBytes(length: number): Uint8Array {
  assertInteger('length', length, 0, 1 << 20);
  return backend().randomBytes(length);
}

/** A fresh 256-bit data key (DEK) for one record version. */
export function generateDataKey(): Uint8Array {
  return backend().randomBytes(DATA_KEY_LENGTH);
}

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return backend().sha256(data);
}
