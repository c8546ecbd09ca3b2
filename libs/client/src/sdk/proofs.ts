import { signCanonical, toBase64Url, type ParticipantKeys } from '@sec-health/crypto';
import type { RegisterParticipantRequest } from '@sec-health/protocol';

export type PublicKeysB64 = RegisterParticipantRequest['keys'];

export function publicKeysOf(keys: ParticipantKeys): PublicKeysB64 {
  return {
    signing: toBase64Url(keys.signing.publicKey),
    encryption: toBase64Url(keys.encryption.publicKey),
  };
}

/**
 * Ed25519 over the RFC 8785 canonical JSON of `statement`, as unpadded base64url. The statements
 * themselves are built by libs/protocol (statements.ts), the same module the services verify with.
 */
export function sign(signingSecretKey: Uint8Array, statement: unknown): string {
  return toBase64Url(signCanonical(signingSecretKey, statement));
}
