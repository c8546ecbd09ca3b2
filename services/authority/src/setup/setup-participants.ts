import type { Role } from '@sec-health/protocol';
import type { DataSource } from 'typeorm';

import { attestParticipant } from '../attestations/attest-participant.js';
import type { AttestationKey } from '../attestations/attestation-key.js';
import { AttestationRepository } from '../attestations/attestation.repository.js';
import { newParticipantRef } from '../participants/participant-ref.js';
import { ParticipantEntity } from '../participants/participant.entity.js';
import { ParticipantRepository } from '../participants/participant.repository.js';
import type { ProfileFile } from './profiles.js';

export const EMERGENCY_SERVER_COUNT = 5;

export interface SetupParticipantSpec {
  readonly name: string;
  readonly role: Role;
  readonly displayName: string;
}

/** The first authority admin and the n emergency servers (index 1..n). */
export function setupParticipantSpecs(): SetupParticipantSpec[] {
  return [
    { name: 'authority-admin', role: 'authority', displayName: 'Authority administrator' },
    ...Array.from({ length: EMERGENCY_SERVER_COUNT }, (_, i) => ({
      name: `emergency-${i + 1}`,
      role: 'emergency-server' as const,
      displayName: `Emergency server ${i + 1}`,
    })),
  ];
}

/**
 * Makes sure the profile's participant exists, active and attested (with its anchor enqueued), in
 * one transaction; returns the outbox id of its attestation and whether it was created now.
 */
export async function ensureSetupParticipant(
  dataSource: DataSource,
  key: AttestationKey,
  spec: SetupParticipantSpec,
  profile: ProfileFile,
): Promise<{ outboxId: string; created: boolean }> {
  const participants = new ParticipantRepository(dataSource);
  const attestations = new AttestationRepository(dataSource);
  return dataSource.transaction(async (m) => {
    const existing = await participants.lockSetupName(m, spec.name);
    if (existing) {
      if (existing.id !== profile.participantId) {
        throw new Error(
          `${spec.name} exists in the database as ${existing.id}, but its profile names ${profile.participantId}: SECHEALTH_HOME does not belong to this database`,
        );
      }
      const attestation = await attestations.find(m, existing.id, 1);
      if (!attestation) throw new Error(`${spec.name} (${existing.id}) has no attestation`);
      return { outboxId: attestation.outboxId, created: false };
    }
    const now = new Date();
    const participant = Object.assign(new ParticipantEntity(), {
      id: profile.participantId,
      role: spec.role,
      kind: null,
      organizationId: null,
      status: 'active',
      displayName: spec.displayName,
      email: null,
      signingKey: profile.keystore.publicKeys.signing,
      encryptionKey: profile.keystore.publicKeys.encryption,
      keyVersion: 1,
      participantRef: newParticipantRef(spec.role, profile.participantId),
      setupName: spec.name,
      createdAt: now,
      updatedAt: now,
    } satisfies ParticipantEntity);
    await participants.save(m, participant);
    const outboxId = await attestParticipant(m, key, attestations, participant, now);
    return { outboxId, created: true };
  });
}
