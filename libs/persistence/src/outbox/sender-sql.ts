// The statements of the outbox sender (libs/ledger's OutboxSender), one per state change of a
// row: pending -> sent -> confirmed | failed, and back to pending when the chain lost the
// transaction. Exported as the `outboxSenderSql` namespace; services never call these.
import type { OutboxStatus } from './outbox.entity.js';
import {
  MAX_ERROR_LENGTH,
  outboxChannel,
  outboxTable,
  returnedRows,
  type Queryable,
} from './outbox-table.js';

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

const COLUMNS = `id::text AS id, kind, payload, status, attempts, nonce::text AS nonce, tx_hash AS "txHash", raw_tx AS "rawTx"`;

/** Rows in flight: signed and recorded, receipt not yet seen. Oldest first (= nonce order). */
export function selectSent(db: Queryable, schema: string): Promise<OutboxRow[]> {
  return db.query(
    `SELECT ${COLUMNS} FROM ${outboxTable(schema)} WHERE status = 'sent' ORDER BY outbox.id`,
  );
}

/** The next rows to send, strictly in id order. */
export function selectPending(db: Queryable, schema: string, limit: number): Promise<OutboxRow[]> {
  return db.query(
    `SELECT ${COLUMNS} FROM ${outboxTable(schema)}
      WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY outbox.id LIMIT $1`, // outbox.id: the bigint, not the text alias
    [limit],
  );
}

/** Confirmed rows with a transaction of their own, confirmed at or after `since`, oldest first. */
export function selectConfirmedSince(
  db: Queryable,
  schema: string,
  since: Date,
): Promise<OutboxRow[]> {
  return db.query(
    `SELECT ${COLUMNS} FROM ${outboxTable(schema)}
      WHERE status = 'confirmed' AND tx_hash IS NOT NULL AND confirmed_at >= $1
      ORDER BY outbox.id`,
    [since.toISOString()],
  );
}

/**
 * Records the signed transaction of a pending row before it is broadcast. False when the row is
 * no longer pending (a waiter that timed out cancelled it): then it must not be sent.
 */
export async function markSent(
  db: Queryable,
  schema: string,
  id: string,
  fields: { nonce: number; txHash: string; rawTx: string; sender: string },
): Promise<boolean> {
  const result: unknown = await db.query(
    `UPDATE ${outboxTable(schema)}
        SET status = 'sent', nonce = $2, tx_hash = $3, raw_tx = $4, sender = $5,
            attempts = attempts + 1, sent_at = now(), last_error = NULL
      WHERE id = $1 AND status = 'pending' RETURNING id`,
    [id, fields.nonce, fields.txHash, fields.rawTx, fields.sender],
  );
  return returnedRows(result).length > 0;
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
       UPDATE ${outboxTable(schema)}
          SET status = 'confirmed', tx_hash = COALESCE($2, tx_hash), block_number = $3, note = $4,
              confirmed_at = now(), last_error = NULL
        WHERE id = $1 AND status IN ('pending', 'sent')
       RETURNING id)
     SELECT pg_notify($5, id::text) FROM done`,
    [id, fields.txHash, fields.blockNumber, fields.note ?? null, outboxChannel(schema, 'done')],
  );
}

/** Ends a row in failure (it will not be sent again) and wakes its waiters. */
export async function markFailed(
  db: Queryable,
  schema: string,
  id: string,
  error: string,
): Promise<void> {
  await db.query(
    `UPDATE ${outboxTable(schema)}
        SET status = 'failed', last_error = $2, attempts = attempts + 1
      WHERE id = $1 AND status IN ('pending', 'sent')`,
    [id, error.slice(0, MAX_ERROR_LENGTH)],
  );
  await db.query(`SELECT pg_notify($1, $2)`, [outboxChannel(schema, 'done'), id]);
}

/** A sent row whose transaction vanished (e.g. chain restarted without it): sign it again. */
export async function markPendingAgain(
  db: Queryable,
  schema: string,
  id: string,
  error: string,
): Promise<void> {
  await db.query(
    `UPDATE ${outboxTable(schema)}
        SET status = 'pending', nonce = NULL, tx_hash = NULL, raw_tx = NULL, last_error = $2
      WHERE id = $1 AND status = 'sent'`,
    [id, error.slice(0, MAX_ERROR_LENGTH)],
  );
}

/** A confirmed row whose transaction the chain no longer has (it rolled back): send it again. */
export async function markRolledBack(db: Queryable, schema: string, id: string): Promise<void> {
  await db.query(
    `UPDATE ${outboxTable(schema)}
        SET status = 'pending', nonce = NULL, tx_hash = NULL, raw_tx = NULL, block_number = NULL,
            confirmed_at = NULL, last_error = 'its transaction is no longer on chain (the chain rolled back); sent again'
      WHERE id = $1 AND status = 'confirmed'`,
    [id],
  );
}

/** Notes why a row is still open (e.g. its receipt is late), without changing its status. */
export async function recordError(
  db: Queryable,
  schema: string,
  id: string,
  error: string,
): Promise<void> {
  await db.query(`UPDATE ${outboxTable(schema)} SET last_error = $2 WHERE id = $1`, [
    id,
    error.slice(0, MAX_ERROR_LENGTH),
  ]);
}
