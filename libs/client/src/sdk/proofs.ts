import { signCanonical, toBase64Url, type ParticipantKeys } from '@sec-health/crypto';
import {
  LOGIN_PURPOSE,
  REGISTER_PURPOSE,
  ROTATE_KEYS_PURPOSE,
  type Challenge,
  type RegisterParticipantRequest,
} from '@sec-health/protocol';

export type PublicKeysB64 = RegisterParticipantRequest['keys'];
export type RegistrationDraft = Omit<RegisterParticipantRequest, 'proof'>;

export function publicKeysOf(keys: ParticipantKeys): PublicKeysB64 {
  return {
    signing: toBase64Url(keys.signing.publicKey),
    encryption: toBase64Url(keys.encryption.publicKey),
  };
}

/** The canonical registration statement; absent optional fields are omitted, never null. */
export function registrationStatement(draft: RegistrationDraft): Record<string, unknown> {
  return withoutUndefined({
    purpose: REGISTER_PURPOSE,
    role: draft.role,
    kind: draft.kind,
    organizationId: draft.organizationId,
    keys: draft.keys,
    profile: withoutUndefined({ ...draft.profile }),
  });
}

export function loginStatement(
  participantId: string,
  challenge: Challenge,
): Record<string, string> {
  return {
    purpose: LOGIN_PURPOSE,
    participantId,
    challengeId: challenge.challengeId,
    nonce: challenge.nonce,
  };
}

export function rotateKeysStatement(
  participantId: string,
  keys: PublicKeysB64,
): Record<string, unknown> {
  return { purpose: ROTATE_KEYS_PURPOSE, participantId, keys };
}

/** Ed25519 over the canonical JSON of `statement`, as unpadded base64url. */
export function sign(signingSecretKey: Uint8Array, statement: unknown): string {
  return toBase64Url(signCanonical(signingSecretKey, statement));
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
