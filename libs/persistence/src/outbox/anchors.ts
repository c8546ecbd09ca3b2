import { toPersistenceError } from '../errors.js';
import type { OutboxStatus } from './outbox.entity.js';
import { outboxTable, returnedRows, type Queryable } from './outbox-table.js';

/** Where an outbox row's chain call stands, as services show it (`AnchorInfo` in libs/protocol). */
export type AnchorStatus = 'pending' | 'confirmed' | 'failed';

export interface OutboxAnchor {
  readonly status: AnchorStatus;
  /** The transaction; null before it is signed, or when the effect was already on chain. */
  readonly txHash: string | null;
  readonly blockNumber: number | null;
}

/** sent is still pending (no receipt yet); a cancelled row never reaches the chain: failed. */
const ANCHOR_STATUS: { readonly [S in OutboxStatus]: AnchorStatus } = {
  pending: 'pending',
  sent: 'pending',
  confirmed: 'confirmed',
  failed: 'failed',
  cancelled: 'failed',
};

interface AnchorRow {
  id: string;
  status: OutboxStatus;
  txHash: string | null;
  blockNumber: string | null;
  lastError: string | null;
}

const ANCHOR_COLUMNS = `id::text AS id, status, tx_hash AS "txHash", block_number::text AS "blockNumber", last_error AS "lastError"`;

function anchorOf(row: AnchorRow): OutboxAnchor {
  return {
    status: ANCHOR_STATUS[row.status],
    txHash: row.txHash,
    blockNumber: row.blockNumber === null ? null : Number(row.blockNumber),
  };
}

/**
 * The anchor state of each outbox row in `outboxIds` (bigint ids as decimal strings), keyed by
 * id; ids with no row are absent. One query, whatever the number of ids.
 */
export async function anchorsOf(
  db: Queryable,
  schema: string,
  outboxIds: readonly string[],
): Promise<Map<string, OutboxAnchor>> {
  const result = new Map<string, OutboxAnchor>();
  if (outboxIds.length === 0) return result;
  let rows: AnchorRow[];
  try {
    rows = (await db.query(
      `SELECT ${ANCHOR_COLUMNS} FROM ${outboxTable(schema)} WHERE id = ANY($1::bigint[])`,
      [outboxIds],
    )) as AnchorRow[];
  } catch (error) {
    throw toPersistenceError(error);
  }
  for (const row of rows) result.set(row.id, anchorOf(row));
  return result;
}

/**
 * One row's anchor and, when it failed or was cancelled, why: what a waiter for the receipt
 * needs. Undefined when there is no such row. Database errors are left as they are.
 */
export async function readAnchorOutcome(
  db: Queryable,
  schema: string,
  outboxId: string,
): Promise<{ anchor: OutboxAnchor; lastError: string | null } | undefined> {
  const rows = (await db.query(
    `SELECT ${ANCHOR_COLUMNS} FROM ${outboxTable(schema)} WHERE id = $1`,
    [outboxId],
  )) as AnchorRow[];
  const row = rows[0];
  return row && { anchor: anchorOf(row), lastError: row.lastError };
}

/**
 * Cancels a row that the sender has not signed yet, so it never lands after its waiter gave up;
 * true if it was cancelled (false: it was sent already, or settled).
 */
export async function cancelIfUnsent(
  db: Queryable,
  schema: string,
  outboxId: string,
  reason: string,
): Promise<boolean> {
  const result: unknown = await db.query(
    `UPDATE ${outboxTable(schema)} SET status = 'cancelled', last_error = $2
      WHERE id = $1 AND status = 'pending' RETURNING id`,
    [outboxId, reason],
  );
  return returnedRows(result).length > 0;
}
