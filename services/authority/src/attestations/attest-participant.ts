import { ledgerIntent } from '@sec-health/ledger';
import { ROLE_CODE } from '@sec-health/protocol';
import type { EntityManager } from 'typeorm';

import type { ParticipantEntity } from '../participants/participant.entity.js';
import type { AttestationKey } from './attestation-key.js';
import { signAttestation } from './attestation-signer.js';
import type { AttestationRepository } from './attestation.repository.js';

/**
 * Attests a participant's current keys: signs the attestation, stores it, and enqueues its
 * anchor (ParticipantAttested for the first key version, ParticipantUpdated after a rotation), in
 * the caller's transaction. The one way approval, key rotation and the setup attest anyone.
 * Returns the outbox row id.
 */
export function attestParticipant(
  manager: EntityManager,
  key: AttestationKey,
  attestations: AttestationRepository,
  participant: ParticipantEntity,
  now: Date = new Date(),
): Promise<string> {
  const parts = signAttestation(key, participant, now);
  const args = {
    participantRef: participant.participantRef,
    attestationHash: parts.hash,
    role: ROLE_CODE[participant.role],
    validUntil: parts.validUntilSeconds,
  };
  const first = participant.keyVersion === 1;
  const intent = first
    ? ledgerIntent('ParticipantRegistry', 'attestParticipant', args)
    : ledgerIntent('ParticipantRegistry', 'updateParticipant', args);
  const idempotencyKey = `authority:${first ? 'attest' : 'update'}:${participant.id}:v${participant.keyVersion}`;
  return attestations.add(manager, participant, parts, idempotencyKey, intent);
}
