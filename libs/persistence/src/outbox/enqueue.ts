import type { DataSource, EntityManager } from 'typeorm';

import { assertSchemaName, databaseTargetOf } from '../data-source.js';
import { PersistenceError, PersistenceErrorCode, toPersistenceError } from '../errors.js';
import { idempotencyConflict, validateOutboxEntry, type NewOutboxEntry } from './outbox-entry.js';
import { OutboxEntry } from './outbox.entity.js';
import { outboxChannel, outboxTable, returnedRows } from './outbox-table.js';

/**
 * Inserts an outbox row within the caller's transaction (`dataSource.transaction(m => ...)`), so
 * the row commits or rolls back with the state change it anchors, and returns its id (bigint as
 * a decimal string). Idempotent on `idempotencyKey`: a repeat returns the existing row's id; a
 * repeat with a different kind or payload throws PERSISTENCE_IDEMPOTENCY_CONFLICT. It notifies
 * `outboxChannel(schema, 'new')` in the same transaction, so the sender hears of the row only on
 * commit. Throws PERSISTENCE_NOT_IN_TRANSACTION outside a transaction.
 */
export async function enqueueOutbox(
  manager: EntityManager,
  entry: NewOutboxEntry,
): Promise<string> {
  const { payloadJson } = validateOutboxEntry(entry);
  if (!manager.queryRunner?.isTransactionActive) {
    throw new PersistenceError(
      PersistenceErrorCode.NotInTransaction,
      'enqueueOutbox must run inside the transaction of the state change it anchors (dataSource.transaction(async (manager) => ...))',
    );
  }
  const schema = schemaOf(manager);
  const nextAttemptAt = entry.nextAttemptAt?.toISOString() ?? null;
  try {
    const id = await insertOrFind(manager, outboxTable(schema), entry, payloadJson, nextAttemptAt);
    await manager.query(`SELECT pg_notify($1, '')`, [outboxChannel(schema, 'new')]);
    return id;
  } catch (error) {
    throw toPersistenceError(error, databaseTargetOf(manager.connection));
  }
}

/**
 * Adds an outbox row in one autocommitted statement of its own, outside any transaction of the
 * caller: the intent of a step that must be anchored before it takes effect (libs/ledger's
 * runAnchoredStep, fail closed). Idempotent on `idempotencyKey`: a repeat returns the existing
 * row's id, and revives it to pending if an earlier attempt was cancelled; a key already used by
 * a different kind or payload throws PERSISTENCE_IDEMPOTENCY_CONFLICT and leaves that row as it is.
 * The sender is notified on commit.
 */
export async function enqueueOutboxNow(
  dataSource: DataSource,
  schema: string,
  entry: Omit<NewOutboxEntry, 'nextAttemptAt'>,
): Promise<string> {
  const { payloadJson } = validateOutboxEntry(entry);
  const table = outboxTable(schema);
  let rows: { id: string; same: boolean }[];
  try {
    rows = returnedRows(
      await dataSource.query(
        `WITH row AS (
           INSERT INTO ${table} AS o (idempotency_key, kind, payload)
           VALUES ($1, $2, $3::jsonb)
           ON CONFLICT (idempotency_key) DO UPDATE
              SET status = CASE WHEN o.status = 'cancelled' AND o.kind = $2 AND o.payload = $3::jsonb
                                THEN 'pending' ELSE o.status END,
                  last_error = CASE WHEN o.status = 'cancelled' AND o.kind = $2 AND o.payload = $3::jsonb
                                    THEN NULL ELSE o.last_error END
           RETURNING o.id, (o.kind = $2 AND o.payload = $3::jsonb) AS same)
         SELECT row.id::text AS id, row.same, pg_notify($4, '') IS NULL AS notified FROM row`,
        [entry.idempotencyKey, entry.kind, payloadJson, outboxChannel(schema, 'new')],
      ),
    ) as { id: string; same: boolean }[];
  } catch (error) {
    throw toPersistenceError(error, databaseTargetOf(dataSource));
  }
  const row = rows[0];
  if (!row) {
    throw new PersistenceError(PersistenceErrorCode.QueryFailed, 'outbox insert returned no row', {
      kind: entry.kind,
    });
  }
  if (!row.same) throw idempotencyConflict(row.id, entry.kind);
  return row.id;
}

/** The schema of the manager's outbox table; OutboxEntry must be among its entities. */
function schemaOf(manager: EntityManager): string {
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
  return schema;
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
  if (!found.same) throw idempotencyConflict(String(found.id), entry.kind);
  return String(found.id);
}
