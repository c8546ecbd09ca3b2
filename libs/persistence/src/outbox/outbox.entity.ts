import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * Lifecycle of an outbox row: pending -> sent (tx signed and submitted) -> confirmed (receipt), or
 * failed; cancelled when a fail-closed caller gave up before the row was sent.
 */
export const OUTBOX_STATUSES = ['pending', 'sent', 'confirmed', 'failed', 'cancelled'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** JSON that the payload column holds: hashes, references and ids only, never PHI. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type OutboxPayload = { [key: string]: JsonValue };

export const OUTBOX_TABLE = 'outbox';
/** Constraint and index names, fixed so the entity and the migration agree (no churn). */
export const OUTBOX_PRIMARY_KEY = 'outbox_pkey';
export const OUTBOX_IDEMPOTENCY_KEY_UNIQUE = 'outbox_idempotency_key_key';
export const OUTBOX_STATUS_CHECK = 'outbox_status_check';
export const OUTBOX_STATUS_ID_INDEX = 'outbox_status_id_idx';
export const OUTBOX_STATUS_CHECK_SQL = `"status" IN (${OUTBOX_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/**
 * One pending chain call of a service, written in the same transaction as the state change it
 * anchors and sent in `id` order by the service's single sender (libs/ledger). Lives in the
 * service's own schema (`<schema>.outbox`): the entity carries no schema, the data source does.
 */
@Entity({ name: OUTBOX_TABLE })
@Unique(OUTBOX_IDEMPOTENCY_KEY_UNIQUE, ['idempotencyKey'])
@Index(OUTBOX_STATUS_ID_INDEX, ['status', 'id'])
@Check(OUTBOX_STATUS_CHECK, OUTBOX_STATUS_CHECK_SQL)
export class OutboxEntry {
  /** bigserial: the sending order. pg returns int8 as a decimal string. */
  @PrimaryGeneratedColumn('increment', {
    name: 'id',
    type: 'bigint',
    primaryKeyConstraintName: OUTBOX_PRIMARY_KEY,
  })
  id!: string;

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  /** Which contract call, e.g. `participant.attested`, `session.opened`. */
  @Column({ name: 'kind', type: 'text' })
  kind!: string;

  /** The call arguments (hashes and pseudonymous references only). */
  @Column({ name: 'payload', type: 'jsonb' })
  payload!: OutboxPayload;

  @Column({ name: 'status', type: 'text', default: 'pending' })
  status!: OutboxStatus;

  @Column({ name: 'attempts', type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  /** The sender's nonce for this row's transaction (int8 as a decimal string). */
  @Column({ name: 'nonce', type: 'bigint', nullable: true })
  nonce!: string | null;

  /** The signed transaction, recorded before it is broadcast so it can be re-sent after a crash. */
  @Column({ name: 'raw_tx', type: 'text', nullable: true })
  rawTx!: string | null;

  /** Address that signed the transaction. */
  @Column({ name: 'sender', type: 'text', nullable: true })
  sender!: string | null;

  @Column({ name: 'tx_hash', type: 'text', nullable: true })
  txHash!: string | null;

  /** int8 as a decimal string, like `id`. */
  @Column({ name: 'block_number', type: 'bigint', nullable: true })
  blockNumber!: string | null;

  /** Why a row was settled without its own receipt, e.g. `already anchored`. */
  @Column({ name: 'note', type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  /** Earliest time the sender may (re)try this row; backoff moves it forward. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;
}
