import type { DirectoryEntry, Participant, SignedAttestation } from '@sec-health/protocol';

import type { ParticipantEntity } from './participant.entity.js';

/**
 * What a viewer is shown. Without `showRef` (a patient seen by anyone but themselves or the
 * authority), the pseudonym is left out, and so is the attestation, which names it and whose
 * hash is on chain next to it.
 */
export function toParticipant(
  entity: ParticipantEntity,
  attestation: SignedAttestation | undefined,
  showRef: boolean,
): Participant {
  return {
    id: entity.id,
    role: entity.role,
    kind: entity.kind,
    organizationId: entity.organizationId,
    status: entity.status,
    profile: {
      displayName: entity.displayName,
      ...(entity.email === null ? {} : { email: entity.email }),
    },
    keys: { signing: entity.signingKey, encryption: entity.encryptionKey },
    keyVersion: entity.keyVersion,
    participantRef: showRef ? entity.participantRef : null,
    createdAt: entity.createdAt.toISOString(),
    attestation: showRef ? (attestation ?? null) : null,
  };
}

export function toDirectoryEntry(
  entity: ParticipantEntity,
  attestation: SignedAttestation | undefined,
  showRef: boolean,
): DirectoryEntry {
  return {
    id: entity.id,
    role: entity.role,
    kind: entity.kind,
    organizationId: entity.organizationId,
    status: entity.status,
    keys: { signing: entity.signingKey, encryption: entity.encryptionKey },
    keyVersion: entity.keyVersion,
    participantRef: showRef ? entity.participantRef : null,
    attestation: showRef ? (attestation ?? null) : null,
  };
}
