import { createUser, fromSeed } from '@nats-io/nkeys';

import { LocalInfraError, LocalInfraErrorCode } from './errors.js';

/** A NATS principal's NKey: the seed is its secret, the public key goes into the server config. */
export interface NatsIdentity {
  readonly name: string;
  /** The user seed as text, `SU...` (58 characters). Secret: keep it in a 0600 file. */
  readonly seed: string;
  /** The user public key, `U...` (56 characters). */
  readonly publicKey: string;
}

const PRINCIPAL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Principal names become file names and comments in the server config: keep them plain. */
export function assertPrincipalName(name: string): void {
  if (!PRINCIPAL_NAME.test(name)) {
    throw new LocalInfraError(
      LocalInfraErrorCode.InvalidArgument,
      `NATS principal name ${JSON.stringify(name)} must be 1-64 letters, digits, '_' or '-'`,
    );
  }
}

/** A new NKey user identity for principal `name`. */
export function createNatsIdentity(name: string): NatsIdentity {
  assertPrincipalName(name);
  const pair = createUser();
  const identity = {
    name,
    seed: new TextDecoder().decode(pair.getSeed()),
    publicKey: pair.getPublicKey(),
  };
  pair.clear();
  return identity;
}

/** The identity of an existing user seed (`SU...`); throws if it is not a valid user seed. */
export function natsIdentityFromSeed(name: string, seed: string): NatsIdentity {
  assertPrincipalName(name);
  const text = seed.trim();
  let publicKey: string;
  try {
    const pair = fromSeed(new TextEncoder().encode(text));
    publicKey = pair.getPublicKey();
    pair.clear();
  } catch (error) {
    throw new LocalInfraError(
      LocalInfraErrorCode.InvalidCredentials,
      `the NKey seed of NATS principal ${name} is not a valid seed`,
      undefined,
      { cause: error },
    );
  }
  if (!text.startsWith('SU') || !publicKey.startsWith('U')) {
    throw new LocalInfraError(
      LocalInfraErrorCode.InvalidCredentials,
      `the NKey seed of NATS principal ${name} is not a user seed (SU...)`,
    );
  }
  return { name, seed: text, publicKey };
}
