import type { EntityManager } from 'typeorm';

import { assertSchemaName, databaseTargetOf } from '../data-source.js';
import { PersistenceError, PersistenceErrorCode, toPersistenceError } from '../errors.js';
import { OutboxEntry, type OutboxPayload } from './outbox.entity.js';

export interface NewOutboxEntry {
  /** Unique per intended chain call; a retried request reuses it. At most 200 characters. */
  readonly idempotencyKey: string;
  /** Which contract call, e.g. `participant.attested`. At most 100 characters. */
  readonly kind: string;
  /** The call arguments: a JSON object of hashes and references (at most 64 KiB serialized). */
  readonly payload: OutboxPayload;
  /** Earliest send time. Default: now. */
  readonly nextAttemptAt?: Date;
}

const MAX_KEY_LENGTH = 200;
const MAX_KIND_LENGTH = 100;
const MAX_PAYLOAD_BYTES = 64 * 1024;

function invalidEntry(parameter: string, problem: string): PersistenceError {
  return new PersistenceError(PersistenceErrorCode.InvalidOutboxEntry, `${parameter}: ${problem}`, {
    parameter,
  });
}

function serializePayload(payload: unknown): string {
  if (
    typeof payload !== 'object' ||
    payload === null ||
    Array.isArray(payload) ||
    (Object.getPrototypeOf(payload) !== Object.prototype && Object.getPrototypeOf(payload) !== null)
  ) {
    throw invalidEntry('payload', 'must be a plain JSON object');
  }
  let json: string;
  try {
    json = JSON.stringify(payload);
  } catch {
    throw invalidEntry('payload', 'is not serializable as JSON');
  }
  if (Buffer.byteLength(json, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw invalidEntry('payload', `must serialize to at most ${MAX_PAYLOAD_BYTES} bytes`);
  }
  return json;
}

function validate(entry: NewOutboxEntry): { payloadJson: string } {
  if (typeof entry.idempotencyKey !== 'string' || entry.idempotencyKey.length === 0) {
    throw invalidEntry('idempotencyKey', 'must be a non-empty string');
  }
  if (entry.idempotencyKey.length > MAX_KEY_LENGTH) {
    throw invalidEntry('idempotencyKey', `must be at most ${MAX_KEY_LENGTH} characters`);
  }
  if (typeof entry.kind !== 'string' || entry.kind.length === 0) {
    throw invalidEntry('kind', 'must be a non-empty string');
  }
  if (entry.kind.length > MAX_KIND_LENGTH) {
    throw invalidEntry('kind', `must be at most ${MAX_KIND_LENGTH} characters`);
  }
  if (
    entry.nextAttemptAt !== undefined &&
    (!(entry.nextAttemptAt instanceof Date) || Number.isNaN(entry.nextAttemptAt.getTime()))
  ) {
    throw invalidEntry('nextAttemptAt', 'must be a valid Date');
  }
  return { payloadJson: serializePayload(entry.payload) };
}

/** Channel notified (on commit) when a service enqueues: `outbox_new_<schema>`. */
export function outboxNewChannel(schema: string): string {
  return `outbox_new_${schema}`;
}

/** The outbox table of the manager's data source; OutboxEntry must be among its entities. */
function outboxTableOf(manager: EntityManager): { schema: string; table: string } {
  if (!manager.connection.hasMetadata(OutboxEntry)) {
    throw new PersistenceError(
      PersistenceErrorCode.InvalidConfig,
      'entities: OutboxEntry is not registered on this data source (add it to `entities`)',
      { parameter: 'entities' },
    );
  }
  const metadata = manager.connection.getMetadata(OutboxEntry);
  const schema = metadata.schema ?? (manager.connection.options as { schema?: string }).schema;
  assertSchemaName(schema);
  return { schema, table: `"${schema}"."${metadata.tableName}"` };
}

/**
 * Inserts an outbox row within the caller's transaction (`dataSource.transaction(m => ...)`), so
 * the row commits or rolls back with the state change it anchors, and returns its id (bigint as
 * a decimal string). Idempotent on `idempotencyKey`: a repeat returns the existing row's id; a
 * repeat with a different kind or payload throws PERSISTENCE_IDEMPOTENCY_CONFLICT. It notifies
 * `outbox_new_<schema>` in the same transaction, so the sender hears of the row only on commit.
 * Throws PERSISTENCE_NOT_IN_TRANSACTION outside a transaction.
 */
export async function enqueueOutbox(
  manager: EntityManager,
  entry: NewOutboxEntry,
): Promise<string> {
  const { payloadJson } = validate(entry);
  if (!manager.queryRunner?.isTransactionActive) {
    throw new PersistenceError(
      PersistenceErrorCode.NotInTransaction,
      'enqueueOutbox must run inside the transaction of the state change it anchors (dataSource.transaction(async (manager) => ...))',
    );
  }
  const { schema, table } = outboxTableOf(manager);
  const nextAttemptAt = entry.nextAttemptAt?.toISOString() ?? null;
  try {
    const id = await insertOrFind(manager, table, entry, payloadJson, nextAttemptAt);
    await manager.query(`SELECT pg_notify($1, '')`, [outboxNewChannel(schema)]);
    return id;
  } catch (error) {
    throw toPersistenceError(error, databaseTargetOf(manager.connection));
  }
}

async function insertOrFind(
  manager: EntityManager,
  table: string,
  entry: NewOutboxEntry,
  payloadJson: string,
  nextAttemptAt: string | null,
): Promise<string> {
  const inserted = await manager.query<{ id: string }[]>(
    `INSERT INTO ${table} ("idempotency_key", "kind", "payload", "next_attempt_at")
       VALUES ($1, $2, $3::jsonb, COALESCE($4::timestamptz, now()))
       ON CONFLICT ("idempotency_key") DO NOTHING
       RETURNING "id"`,
    [entry.idempotencyKey, entry.kind, payloadJson, nextAttemptAt],
  );
  const row = inserted[0];
  if (row) return String(row.id);

  const existing = await manager.query<{ id: string; same: boolean }[]>(
    `SELECT "id", ("kind" = $2 AND "payload" = $3::jsonb) AS "same"
       FROM ${table} WHERE "idempotency_key" = $1`,
    [entry.idempotencyKey, entry.kind, payloadJson],
  );
  const found = existing[0];
  if (!found) {
    // Committed by a concurrent transaction after this transaction's snapshot was taken.
    throw new PersistenceError(
      PersistenceErrorCode.QueryFailed,
      'outbox entry with this idempotency key exists but is not visible to this transaction (repeatable-read snapshot); retry the transaction',
      { kind: entry.kind },
    );
  }
  if (!found.same) {
    throw new PersistenceError(
      PersistenceErrorCode.IdempotencyConflict,
      `idempotency key already used by outbox entry ${String(found.id)} with a different kind or payload`,
      { id: String(found.id), kind: entry.kind },
    );
  }
  return String(found.id);
}
