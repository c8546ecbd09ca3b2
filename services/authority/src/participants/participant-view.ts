import type { DirectoryEntry, Participant, SignedAttestation } from '@sec-health/protocol';

import type { ParticipantEntity } from './participant.entity.js';

export function toParticipant(
  entity: ParticipantEntity,
  attestation: SignedAttestation | undefined,
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
    participantRef: entity.participantRef,
    createdAt: entity.createdAt.toISOString(),
    attestation: attestation ?? null,
  };
}

export function toDirectoryEntry(
  entity: ParticipantEntity,
  attestation: SignedAttestation | undefined,
): DirectoryEntry {
  return {
    id: entity.id,
    role: entity.role,
    kind: entity.kind,
    organizationId: entity.organizationId,
    status: entity.status,
    keys: { signing: entity.signingKey, encryption: entity.encryptionKey },
    participantRef: entity.participantRef,
    attestation: attestation ?? null,
  };
}
