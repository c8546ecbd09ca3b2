import { DEFAULT_SCRYPT } from '@sec-health/crypto';
import { describe, expect, it } from 'vitest';

import { keystoreScrypt } from './scrypt-cost.js';

describe('keystoreScrypt', () => {
  it('uses the default cost unless SECHEALTH_SCRYPT_N is a power of two from 2^10 to the default', () => {
    expect(keystoreScrypt({})).toEqual(DEFAULT_SCRYPT);
    expect(keystoreScrypt({ SECHEALTH_SCRYPT_N: '1024' })).toEqual({ ...DEFAULT_SCRYPT, N: 1024 });
    for (const weak of ['512', '2', '1000', 'abc', '', String(2 ** 18)]) {
      expect(keystoreScrypt({ SECHEALTH_SCRYPT_N: weak })).toEqual(DEFAULT_SCRYPT);
    }
  });
});
