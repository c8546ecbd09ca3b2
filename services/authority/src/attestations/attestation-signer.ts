import { canonicalJsonBytes, sha256, signCanonical, toBase64Url, toHex } from '@sec-health/crypto';
import type { Attestation } from '@sec-health/protocol';

import type { ParticipantEntity } from '../participants/participant.entity.js';
import type { AttestationKey } from './attestation-key.js';

export const ATTESTATION_VALIDITY_MS = 365 * 24 * 60 * 60 * 1000;

export interface SignedAttestationParts {
  readonly attestation: Attestation;
  readonly signature: string;
  /** 0x + SHA-256 of the canonical JSON of {attestation, signature}. */
  readonly hash: string;
  readonly validUntilSeconds: number;
}

/** Builds and signs the attestation of a participant's current keys, valid for a year from now. */
export function signAttestation(
  key: AttestationKey,
  participant: ParticipantEntity,
  now = new Date(),
): SignedAttestationParts {
  // Whole seconds, so the ISO time and the chain's uint64 seconds say the same thing.
  const fromSeconds = Math.floor(now.getTime() / 1000);
  const validUntilSeconds = fromSeconds + ATTESTATION_VALIDITY_MS / 1000;
  const attestation: Attestation = {
    version: 1,
    participantId: participant.id,
    participantRef: participant.participantRef,
    role: participant.role,
    kind: participant.kind,
    organizationId: participant.organizationId,
    keys: { signing: participant.signingKey, encryption: participant.encryptionKey },
    keyVersion: participant.keyVersion,
    validFrom: new Date(fromSeconds * 1000).toISOString(),
    validUntil: new Date(validUntilSeconds * 1000).toISOString(),
    issuerId: key.issuerId,
    issuerSigningKey: key.publicKey,
  };
  const signature = toBase64Url(signCanonical(key.secretKey, attestation));
  const hash = `0x${toHex(sha256(canonicalJsonBytes({ attestation, signature })))}`;
  return { attestation, signature, hash, validUntilSeconds };
}
