import { verifyCanonicalEncoded } from '@sec-health/crypto';
import { SIGNED_AT_MAX_SKEW_MS } from '@sec-health/protocol';

import { invalid, type Refusal } from '../refusal.js';

/**
 * A refusal unless `signature` verifies, with the signer's current signing key, over `statement`
 * (a statement from libs/protocol statements.ts). Strict Ed25519: weak keys and malformed or
 * non-canonical signatures never verify.
 */
export function signatureRefusal(
  signingKey: string,
  statement: Record<string, unknown>,
  signature: string,
  what: string,
): Refusal | undefined {
  return verifyCanonicalEncoded(signingKey, statement, signature)
    ? undefined
    : invalid('BAD_SIGNATURE', `the ${what} is not signed by the signer's current signing key`);
}

/** A refusal unless `signedAt` is within SIGNED_AT_MAX_SKEW_MS of `now`, either way. */
export function signedAtRefusal(signedAt: string, now: Date): Refusal | undefined {
  return Math.abs(now.getTime() - Date.parse(signedAt)) <= SIGNED_AT_MAX_SKEW_MS
    ? undefined
    : invalid(
        'SIGNED_AT_SKEW',
        `signedAt is more than ${SIGNED_AT_MAX_SKEW_MS / 60_000} minutes from the service's clock: sign again`,
      );
}
