import type { Attestation } from '@sec-health/protocol';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One signed attestation per participant and key version; the newest is the current one. */
@Entity({ name: 'attestations' })
export class AttestationEntity {
  @PrimaryColumn({ name: 'participant_id', type: 'uuid' })
  participantId!: string;

  @PrimaryColumn({ name: 'key_version', type: 'integer' })
  keyVersion!: number;

  @Column({ name: 'body', type: 'jsonb' })
  body!: Attestation;

  /** Ed25519 by the authority's attestation key, base64url. */
  @Column({ name: 'signature', type: 'text' })
  signature!: string;

  /** 0x + SHA-256 of the canonical JSON of {attestation, signature}: anchored on chain. */
  @Column({ name: 'hash', type: 'text' })
  hash!: string;

  /** The outbox row that anchors it (bigint as a decimal string). */
  @Column({ name: 'outbox_id', type: 'bigint' })
  outboxId!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
