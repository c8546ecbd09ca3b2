import type { DataSource } from 'typeorm';

import { LedgerError, LedgerErrorCode } from '../errors.js';
import { doneListener } from './done-listener.js';
import { quoteSchema, returnedRows } from './outbox-sql.js';

interface RowState {
  status: string;
  txHash: string | null;
  blockNumber: string | null;
  lastError: string | null;
}

export interface AnchorReceipt {
  readonly outboxId: string;
  /** Null only when the row's effect was already on chain from an earlier transaction. */
  readonly txHash: string | null;
  readonly blockNumber: number | null;
}

/**
 * Waits until the outbox row is confirmed on chain. Fails with LedgerError(Unavailable) when the
 * timeout passes first (then cancels the row if it was not sent yet, so it never lands late), and
 * with AnchorFailed when the row failed. This is how a step that must be logged first fails closed.
 */
export async function awaitAnchor(
  dataSource: DataSource,
  schema: string,
  outboxId: string,
  timeoutMs: number,
): Promise<AnchorReceipt> {
  const listener = doneListener(dataSource, schema);
  await listener?.ensure();
  const query: Query = (sql, parameters) => dataSource.query(sql, parameters);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Registered before reading, so a confirmation between the read and the wait is not missed.
    const remaining = deadline - Date.now();
    const waiter = listener?.wait(outboxId, Math.max(0, Math.min(remaining, POLL_MS)));
    let state: RowState;
    try {
      state = await readState(query, schema, outboxId);
    } catch (error) {
      waiter?.cancel();
      throw error;
    }
    if (state.status === 'confirmed') {
      waiter?.cancel();
      return {
        outboxId,
        txHash: state.txHash,
        blockNumber: state.blockNumber === null ? null : Number(state.blockNumber),
      };
    }
    if (state.status === 'failed' || state.status === 'cancelled') {
      waiter?.cancel();
      throw new LedgerError(
        LedgerErrorCode.AnchorFailed,
        `anchoring failed: ${state.lastError ?? state.status}`,
        { outboxId },
      );
    }
    if (remaining <= 0) {
      waiter?.cancel();
      const cancelled = await cancelIfPending(query, schema, outboxId);
      throw new LedgerError(
        LedgerErrorCode.Unavailable,
        `ledger unavailable: the anchor was not confirmed within ${timeoutMs} ms` +
          (cancelled ? ' (it was not sent and is cancelled)' : ' (it was sent and may still land)'),
        { outboxId, timeoutMs, cancelled },
      );
    }
    if (waiter) await waiter.done;
    else await new Promise((resolve) => setTimeout(resolve, Math.min(remaining, POLL_MS)));
  }
}

/** Fallback poll interval when no notification arrives. */
const POLL_MS = 250;

type Query = (sql: string, parameters?: unknown[]) => Promise<unknown>;

async function readState(query: Query, schema: string, id: string): Promise<RowState> {
  const rows = (await query(
    `SELECT status, tx_hash AS "txHash", block_number::text AS "blockNumber", last_error AS "lastError"
       FROM ${quoteSchema(schema)}.outbox WHERE id = $1`,
    [id],
  )) as RowState[];
  const row = rows[0];
  if (!row)
    throw new LedgerError(LedgerErrorCode.AnchorFailed, `outbox row ${id} does not exist`, {
      outboxId: id,
    });
  return row;
}

async function cancelIfPending(query: Query, schema: string, id: string): Promise<boolean> {
  const result = await query(
    `UPDATE ${quoteSchema(schema)}.outbox SET status = 'cancelled', last_error = 'timed out waiting for the chain'
      WHERE id = $1 AND status = 'pending' RETURNING id`,
    [id],
  );
  return returnedRows(result).length > 0;
}
