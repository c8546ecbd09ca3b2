import { enqueueLedgerIntent, type LedgerIntent } from '@sec-health/ledger';
import type { SignedAttestation } from '@sec-health/protocol';
import type { DataSource, EntityManager } from 'typeorm';

import { AUTHORITY_SCHEMA } from '../config.js';
import type { ParticipantEntity } from '../participants/participant.entity.js';
import { AttestationEntity } from './attestation.entity.js';
import type { SignedAttestationParts } from './attestation-signer.js';

interface CurrentRow {
  participant_id: string;
  body: SignedAttestation['attestation'];
  signature: string;
  hash: string;
  outbox_status: string;
  tx_hash: string | null;
  block_number: string | null;
}

const ANCHOR_STATUS: Record<string, SignedAttestation['anchor']['status']> = {
  pending: 'pending',
  sent: 'pending',
  confirmed: 'confirmed',
  failed: 'failed',
  cancelled: 'failed',
};

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

  /** The newest attestation of each participant, with its anchor state from the outbox row. */
  async currentFor(participantIds: readonly string[]): Promise<Map<string, SignedAttestation>> {
    const result = new Map<string, SignedAttestation>();
    if (participantIds.length === 0) return result;
    const rows = await this.dataSource.query<CurrentRow[]>(
      `SELECT DISTINCT ON (a."participant_id") a."participant_id", a."body", a."signature", a."hash",
              o."status" AS "outbox_status", o."tx_hash", o."block_number"
         FROM "${AUTHORITY_SCHEMA}"."attestations" a
         JOIN "${AUTHORITY_SCHEMA}"."outbox" o ON o."id" = a."outbox_id"
        WHERE a."participant_id" = ANY($1::uuid[])
        ORDER BY a."participant_id", a."key_version" DESC`,
      [participantIds],
    );
    for (const row of rows) {
      result.set(row.participant_id, {
        attestation: row.body,
        signature: row.signature,
        hash: row.hash,
        anchor: {
          status: ANCHOR_STATUS[row.outbox_status] ?? 'pending',
          txHash: row.tx_hash,
          blockNumber: row.block_number === null ? null : Number(row.block_number),
        },
      });
    }
    return result;
  }

  /** Outbox rows not yet settled among `ids` (for the setup command's wait). */
  async unsettled(outboxIds: readonly string[]): Promise<{ id: string; status: string }[]> {
    if (outboxIds.length === 0) return [];
    return this.dataSource.query(
      `SELECT "id"::text AS "id", "status" FROM "${AUTHORITY_SCHEMA}"."outbox"
        WHERE "id" = ANY($1::bigint[]) AND "status" <> 'confirmed'`,
      [outboxIds],
    );
  }
}
