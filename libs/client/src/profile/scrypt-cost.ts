import { DEFAULT_SCRYPT, type KeystoreOptions } from '@sec-health/crypto';

import type { Env } from './home.js';

const N_MIN = 2 ** 10;

/**
 * scrypt cost for new keystores. SECHEALTH_SCRYPT_N exists for tests only (the default costs
 * 128 MiB and ~0.3 s per derivation): it is honoured when it is a power of two from 2^10 up to
 * the default, and ignored otherwise, so it can only make tests faster, never a keystore weaker
 * than 2^10.
 */
export function keystoreScrypt(env: Env): NonNullable<KeystoreOptions['scrypt']> {
  const n = Number(env.SECHEALTH_SCRYPT_N);
  const isPowerOfTwo = Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
  if (isPowerOfTwo && n >= N_MIN && n <= DEFAULT_SCRYPT.N) return { ...DEFAULT_SCRYPT, N: n };
  return DEFAULT_SCRYPT;
}
