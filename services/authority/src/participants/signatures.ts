import {
  CryptoErrorCode,
  decodeEncryptionPublicKey,
  decodeSigningPublicKey,
  isCryptoError,
  verifyCanonicalEncoded,
} from '@sec-health/crypto';
import {
  ErrorCode,
  ProtocolError,
  registrationStatement,
  rotationStatement,
  SIGNED_AT_MAX_SKEW_MS,
  type PublicKeys,
  type RegisterParticipantRequest,
  type RotateKeysRequest,
} from '@sec-health/protocol';
import type { z } from '@sec-health/service-kit';

type Keys = z.output<typeof PublicKeys>;

/**
 * Refuses public keys no honest client generates: an Ed25519 key of small order or with a
 * non-canonical encoding (the identity key verifies every signature `identity || 0`), and an
 * X25519 key of small order. VALIDATION_FAILED naming the field, reason WEAK_KEY.
 */
export function assertStrongKeys(keys: Keys, path: string): void {
  const checks = [
    ['signing', () => decodeSigningPublicKey(`${path}.signing`, keys.signing)],
    ['encryption', () => decodeEncryptionPublicKey(`${path}.encryption`, keys.encryption)],
  ] as const;
  for (const [field, check] of checks) {
    try {
      check();
    } catch (error) {
      if (!isCryptoError(error)) throw error;
      const weak = isCryptoError(error, CryptoErrorCode.WeakKey);
      const problem = weak
        ? 'is a weak key (small order or non-canonical encoding): generate a new one'
        : 'is not a well-formed public key';
      throw new ProtocolError(
        ErrorCode.ValidationFailed,
        `invalid keys: ${path}.${field} ${problem}`,
        {
          ...(weak ? { reason: 'WEAK_KEY' } : {}),
          issues: [{ path: `${path}.${field}`, problem }],
        },
      );
    }
  }
}

/** The registrant's proof of possession of the new signing key. */
export function assertRegistrationProof(request: RegisterParticipantRequest): void {
  const { proof, ...draft } = request;
  if (!verifyCanonicalEncoded(request.keys.signing, registrationStatement(draft), proof)) {
    throw invalidSignature('proof', 'does not verify with keys.signing', 'registration');
  }
}

/**
 * A key rotation, checked against the participant's record before anything changes: signed by
 * the CURRENT signing key (else UNAUTHENTICATED), for the current key version (else CONFLICT:
 * already rotated, or a replay), recently (else UNAUTHENTICATED), with proof of possession of
 * the new signing key (else VALIDATION_FAILED).
 */
export function assertRotation(
  request: RotateKeysRequest,
  current: { signingKey: string; keyVersion: number },
  now: Date = new Date(),
): void {
  const statement = rotationStatement(request);
  if (!verifyCanonicalEncoded(current.signingKey, statement, request.signature)) {
    throw new ProtocolError(
      ErrorCode.Unauthenticated,
      "the rotation is not signed by the participant's current signing key",
    );
  }
  assertRecent(request.signedAt, now);
  if (request.keyVersion !== current.keyVersion) {
    throw new ProtocolError(
      ErrorCode.Conflict,
      `the rotation replaces key version ${request.keyVersion}, but the current one is ${current.keyVersion}`,
    );
  }
  if (!verifyCanonicalEncoded(request.keys.signing, statement, request.proof)) {
    throw invalidSignature('proof', 'does not verify with the new keys.signing', 'key rotation');
  }
}

/** UNAUTHENTICATED unless `signedAt` is within SIGNED_AT_MAX_SKEW_MS of now. */
export function assertRecent(signedAt: string, now: Date = new Date()): void {
  if (!(Math.abs(now.getTime() - Date.parse(signedAt)) <= SIGNED_AT_MAX_SKEW_MS)) {
    throw new ProtocolError(
      ErrorCode.Unauthenticated,
      `signedAt is outside the allowed ${SIGNED_AT_MAX_SKEW_MS / 60_000} minutes`,
    );
  }
}

function invalidSignature(path: string, problem: string, what: string): ProtocolError {
  return new ProtocolError(ErrorCode.ValidationFailed, `invalid ${what}: ${path} ${problem}`, {
    issues: [{ path, problem }],
  });
}
