import { enqueueLedgerIntent, type LedgerIntent } from '@sec-health/ledger';
import { anchorsOf } from '@sec-health/persistence';
import type { SignedAttestation } from '@sec-health/protocol';
import { In, type DataSource, type EntityManager } from 'typeorm';

import { AUTHORITY_SCHEMA } from '../config.js';
import type { ParticipantEntity } from '../participants/participant.entity.js';
import { AttestationEntity } from './attestation.entity.js';
import type { SignedAttestationParts } from './attestation-signer.js';

export class AttestationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores a signed attestation and enqueues the chain call that anchors it, in the caller's
   * transaction; returns the outbox row id.
   */
  async add(
    manager: EntityManager,
    participant: ParticipantEntity,
    parts: SignedAttestationParts,
    idempotencyKey: string,
    intent: LedgerIntent,
  ): Promise<string> {
    const outboxId = await enqueueLedgerIntent(manager, idempotencyKey, intent);
    await manager.insert(AttestationEntity, {
      participantId: participant.id,
      keyVersion: participant.keyVersion,
      body: parts.attestation,
      signature: parts.signature,
      hash: parts.hash,
      outboxId,
      createdAt: new Date(),
    });
    return outboxId;
  }

  find(manager: EntityManager, participantId: string, keyVersion: number) {
    return manager.findOneBy(AttestationEntity, { participantId, keyVersion });
  }

  /** The newest attestation of each participant, with its anchor state. */
  async currentFor(participantIds: readonly string[]): Promise<Map<string, SignedAttestation>> {
    const result = new Map<string, SignedAttestation>();
    if (participantIds.length === 0) return result;
    const rows = await this.dataSource.manager.find(AttestationEntity, {
      where: { participantId: In([...participantIds]) },
      order: { keyVersion: 'DESC' },
    });
    const newest = new Map<string, AttestationEntity>();
    for (const row of rows) if (!newest.has(row.participantId)) newest.set(row.participantId, row);
    const anchors = await anchorsOf(
      this.dataSource,
      AUTHORITY_SCHEMA,
      [...newest.values()].map((row) => row.outboxId),
    );
    for (const [participantId, row] of newest) {
      result.set(participantId, {
        attestation: row.body,
        signature: row.signature,
        hash: row.hash,
        anchor: anchors.get(row.outboxId) ?? { status: 'pending', txHash: null, blockNumber: null },
      });
    }
    return result;
  }

  /** The anchors among `outboxIds` not yet confirmed (for the setup command's wait). */
  async unsettled(
    outboxIds: readonly string[],
  ): Promise<{ id: string; status: 'pending' | 'failed' }[]> {
    const anchors = await anchorsOf(this.dataSource, AUTHORITY_SCHEMA, outboxIds);
    return outboxIds.flatMap((id) => {
      const status = anchors.get(id)?.status ?? 'pending';
      return status === 'confirmed' ? [] : [{ id, status }];
    });
  }
}
