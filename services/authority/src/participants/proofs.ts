import { fromBase64Url, verifyCanonical } from '@sec-health/crypto';
import {
  ErrorCode,
  ProtocolError,
  REGISTER_PURPOSE,
  ROTATE_KEYS_PURPOSE,
  type RegisterParticipantRequest,
  type RotateKeysRequest,
} from '@sec-health/protocol';

/**
 * What a registrant signs with `keys.signing` (RFC 8785 canonical JSON), from the request as
 * parsed (so `profile.displayName` trimmed):
 *   { "purpose": "sec-health/register/v1", "role", "kind"?, "organizationId"?, "keys": {
 *     "signing", "encryption" }, "profile": { "displayName", "email"? } }
 * `kind`, `organizationId` and `profile.email` are left out when absent (never null).
 */
export function registrationMessage(request: RegisterParticipantRequest): Record<string, unknown> {
  return {
    purpose: REGISTER_PURPOSE,
    role: request.role,
    ...(request.kind === undefined ? {} : { kind: request.kind }),
    ...(request.organizationId === undefined ? {} : { organizationId: request.organizationId }),
    keys: { signing: request.keys.signing, encryption: request.keys.encryption },
    profile: {
      displayName: request.profile.displayName,
      ...(request.profile.email === undefined ? {} : { email: request.profile.email }),
    },
  };
}

/** What a key rotation signs with the NEW signing key: { purpose, participantId, keys }. */
export function rotateKeysMessage(request: RotateKeysRequest): Record<string, unknown> {
  return {
    purpose: ROTATE_KEYS_PURPOSE,
    participantId: request.participantId,
    keys: { signing: request.keys.signing, encryption: request.keys.encryption },
  };
}

/** Throws VALIDATION_FAILED unless `proof` is the signing key's signature of `message`. */
export function assertProof(
  signingKey: string,
  message: Record<string, unknown>,
  proof: string,
  what: string,
): void {
  let valid = false;
  try {
    valid = verifyCanonical(
      fromBase64Url('keys.signing', signingKey),
      message,
      fromBase64Url('proof', proof),
    );
  } catch {
    // a key or signature that does not decode is as invalid as one that does not verify
  }
  if (!valid) {
    throw new ProtocolError(
      ErrorCode.ValidationFailed,
      `invalid ${what}: proof does not verify with keys.signing`,
      { issues: [{ path: 'proof', problem: 'does not verify with keys.signing' }] },
    );
  }
}
