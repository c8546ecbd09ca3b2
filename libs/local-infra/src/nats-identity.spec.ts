import { describe, expect, it } from 'vitest';

import { isLocalInfraError, LocalInfraErrorCode } from './errors.js';
import { createNatsIdentity, natsIdentityFromSeed } from './nats-identity.js';

/** The LocalInfraError code `run` throws, or 'no error'. */
function failure(run: () => unknown): string {
  try {
    run();
    return 'no error';
  } catch (error) {
    return isLocalInfraError(error) ? error.code : String(error);
  }
}

describe('NATS identities', () => {
  it('creates an NKey user: seed SU..., public key U..., different every time', () => {
    const a = createNatsIdentity('gateway');
    const b = createNatsIdentity('gateway');
    expect(a.name).toBe('gateway');
    expect(a.seed).toMatch(/^SU[A-Z2-7]{56}$/);
    expect(a.publicKey).toMatch(/^U[A-Z2-7]{55}$/);
    expect(b.seed).not.toBe(a.seed);
    expect(b.publicKey).not.toBe(a.publicKey);
  });

  it('derives the same public key from a stored seed', () => {
    const created = createNatsIdentity('authority');
    expect(natsIdentityFromSeed('authority', `${created.seed}\n`)).toEqual(created);
  });

  it('refuses a damaged seed, a non-user seed and a bad name', () => {
    const { seed } = createNatsIdentity('authority');
    const damaged = `${seed.slice(0, 10)}${seed[10] === 'A' ? 'B' : 'A'}${seed.slice(11)}`;
    for (const bad of [damaged, 'not a seed', '', seed.replace(/^SU/, 'SA')]) {
      expect(failure(() => natsIdentityFromSeed('authority', bad))).toBe(
        LocalInfraErrorCode.InvalidCredentials,
      );
    }
    expect(() => createNatsIdentity('../etc/passwd')).toThrow(/letters, digits/);
    expect(() => createNatsIdentity('')).toThrow(/letters, digits/);
  });
});
