import type { EntityManager, QueryRunner } from 'typeorm';

/** A row of `<schema>.outbox` as the sender sees it. */
export interface OutboxRow {
  readonly id: string;
  readonly kind: string;
  readonly payload: unknown;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly nonce: string | null;
  readonly txHash: string | null;
  readonly rawTx: string | null;
}

export type OutboxStatus = 'pending' | 'sent' | 'confirmed' | 'failed' | 'cancelled';

type Queryable = Pick<EntityManager, 'query'> | Pick<QueryRunner, 'query'>;

const COLUMNS = `id::text AS id, kind, payload, status, attempts, nonce::text AS nonce, tx_hash AS "txHash", raw_tx AS "rawTx"`;

export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new Error(`schema: invalid name ${JSON.stringify(schema)}`);
  return `"${schema}"`;
}

/** Rows in flight: signed and recorded, receipt not yet seen. Oldest first (= nonce order). */
export function selectSent(db: Queryable, schema: string): Promise<OutboxRow[]> {
  return db.query(
    `SELECT ${COLUMNS} FROM ${quoteSchema(schema)}.outbox WHERE status = 'sent' ORDER BY outbox.id`,
  );
}

/** The next rows to send, strictly in id order. */
export function selectPending(db: Queryable, schema: string, limit: number): Promise<OutboxRow[]> {
  return db.query(
    `SELECT ${COLUMNS} FROM ${quoteSchema(schema)}.outbox
      WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY outbox.id LIMIT $1`, // outbox.id: the bigint, not the text alias
    [limit],
  );
}

export async function markSent(
  db: Queryable,
  schema: string,
  id: string,
  fields: { nonce: number; txHash: string; rawTx: string; sender: string },
): Promise<boolean> {
  const result: unknown = await db.query(
    `UPDATE ${quoteSchema(schema)}.outbox
        SET status = 'sent', nonce = $2, tx_hash = $3, raw_tx = $4, sender = $5,
            attempts = attempts + 1, sent_at = now(), last_error = NULL
      WHERE id = $1 AND status = 'pending' RETURNING id`,
    [id, fields.nonce, fields.txHash, fields.rawTx, fields.sender],
  );
  return returnedRows(result).length > 0;
}

/** TypeORM answers UPDATE ... RETURNING with [rows, count] on PostgreSQL; plain SELECTs with rows. */
export function returnedRows(result: unknown): unknown[] {
  if (!Array.isArray(result)) return [];
  return Array.isArray(result[0]) ? (result[0] as unknown[]) : result;
}

/** Records the receipt and notifies the waiters, in one round trip. */
export async function markConfirmed(
  db: Queryable,
  schema: string,
  id: string,
  fields: { txHash: string | null; blockNumber: number | null; note?: string },
): Promise<void> {
  await db.query(
    `WITH done AS (
       UPDATE ${quoteSchema(schema)}.outbox
          SET status = 'confirmed', tx_hash = COALESCE($2, tx_hash), block_number = $3, note = $4,
              confirmed_at = now(), last_error = NULL
        WHERE id = $1 AND status IN ('pending', 'sent')
       RETURNING id)
     SELECT pg_notify($5, id::text) FROM done`,
    [id, fields.txHash, fields.blockNumber, fields.note ?? null, doneChannel(schema)],
  );
}

export async function markFailed(
  db: Queryable,
  schema: string,
  id: string,
  error: string,
): Promise<void> {
  await db.query(
    `UPDATE ${quoteSchema(schema)}.outbox
        SET status = 'failed', last_error = $2, attempts = attempts + 1
      WHERE id = $1 AND status IN ('pending', 'sent')`,
    [id, error.slice(0, 2000)],
  );
  await notifyConfirmed(db, schema, id);
}

/** A sent row whose transaction vanished (e.g. chain restarted without it): sign it again. */
export async function markPendingAgain(
  db: Queryable,
  schema: string,
  id: string,
  error: string,
): Promise<void> {
  await db.query(
    `UPDATE ${quoteSchema(schema)}.outbox
        SET status = 'pending', nonce = NULL, tx_hash = NULL, raw_tx = NULL, last_error = $2
      WHERE id = $1 AND status = 'sent'`,
    [id, error.slice(0, 2000)],
  );
}

export async function recordError(
  db: Queryable,
  schema: string,
  id: string,
  error: string,
): Promise<void> {
  await db.query(`UPDATE ${quoteSchema(schema)}.outbox SET last_error = $2 WHERE id = $1`, [
    id,
    error.slice(0, 2000),
  ]);
}

/** Channel on which the sender hears of new rows, and waiters hear of finished ones. */
export function newRowChannel(schema: string): string {
  return `outbox_new_${schema}`;
}

export function doneChannel(schema: string): string {
  return `outbox_done_${schema}`;
}

async function notifyConfirmed(db: Queryable, schema: string, id: string): Promise<void> {
  await db.query(`SELECT pg_notify($1, $2)`, [doneChannel(schema), id]);
}

/** Confirmed rows with a transaction of their own, confirmed at or after `since`, oldest first. */
export function selectConfirmedSince(
  db: Queryable,
  schema: string,
  since: Date,
): Promise<OutboxRow[]> {
  return db.query(
    `SELECT ${COLUMNS} FROM ${quoteSchema(schema)}.outbox
      WHERE status = 'confirmed' AND tx_hash IS NOT NULL AND confirmed_at >= $1
      ORDER BY outbox.id`,
    [since.toISOString()],
  );
}

/** A confirmed row whose transaction the chain no longer has (it rolled back): send it again. */
export async function markRolledBack(db: Queryable, schema: string, id: string): Promise<void> {
  await db.query(
    `UPDATE ${quoteSchema(schema)}.outbox
        SET status = 'pending', nonce = NULL, tx_hash = NULL, raw_tx = NULL, block_number = NULL,
            confirmed_at = NULL, last_error = 'its transaction is no longer on chain (the chain rolled back); sent again'
      WHERE id = $1 AND status = 'confirmed'`,
    [id],
  );
}

/**
 * Adds (or finds) the intent of a fail-closed step in one autocommitted statement: inserted, or
 * revived when an earlier attempt was cancelled, with the sender notified on commit. Returns the
 * row id, or undefined when the key is taken by a different intent.
 */
export async function enqueueIntentNow(
  db: Queryable,
  schema: string,
  entry: { idempotencyKey: string; kind: string; payloadJson: string },
): Promise<{ id: string; same: boolean }> {
  const rows = returnedRows(
    await db.query(
      `WITH row AS (
         INSERT INTO ${quoteSchema(schema)}.outbox AS o (idempotency_key, kind, payload)
         VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (idempotency_key) DO UPDATE
            SET status = CASE WHEN o.status = 'cancelled' THEN 'pending' ELSE o.status END,
                last_error = CASE WHEN o.status = 'cancelled' THEN NULL ELSE o.last_error END
         RETURNING o.id, (o.kind = $2 AND o.payload = $3::jsonb) AS same)
       SELECT row.id::text AS id, row.same, pg_notify($4, '') IS NULL AS notified FROM row`,
      [entry.idempotencyKey, entry.kind, entry.payloadJson, newRowChannel(schema)],
    ),
  ) as { id: string; same: boolean }[];
  const row = rows[0];
  if (!row) throw new Error('outbox insert returned no row');
  return row;
}
