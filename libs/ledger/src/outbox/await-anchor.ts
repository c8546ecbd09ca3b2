import type { DataSource } from 'typeorm';

import { LedgerError, LedgerErrorCode } from '../errors.js';
import { doneChannel, quoteSchema, returnedRows } from './outbox-sql.js';

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
  const runner = dataSource.createQueryRunner();
  const connection = (await runner.connect()) as {
    on(
      event: 'notification',
      listener: (message: { channel: string; payload?: string }) => void,
    ): void;
    removeAllListeners(event: 'notification'): void;
  };
  let wake: () => void = () => undefined;
  connection.on('notification', (message) => {
    if (message.payload === outboxId) wake();
  });
  try {
    await runner.query(`LISTEN "${doneChannel(schema)}"`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await readState(runner.query.bind(runner), schema, outboxId);
      if (state.status === 'confirmed') {
        return {
          outboxId,
          txHash: state.txHash,
          blockNumber: state.blockNumber === null ? null : Number(state.blockNumber),
        };
      }
      if (state.status === 'failed' || state.status === 'cancelled') {
        throw new LedgerError(
          LedgerErrorCode.AnchorFailed,
          `anchoring failed: ${state.lastError ?? state.status}`,
          {
            outboxId,
          },
        );
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const cancelled = await cancelIfPending(runner.query.bind(runner), schema, outboxId);
        throw new LedgerError(
          LedgerErrorCode.Unavailable,
          `ledger unavailable: the anchor was not confirmed within ${timeoutMs} ms` +
            (cancelled
              ? ' (it was not sent and is cancelled)'
              : ' (it was sent and may still land)'),
          { outboxId, timeoutMs, cancelled },
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 250));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    connection.removeAllListeners('notification');
    await runner.query(`UNLISTEN "${doneChannel(schema)}"`).catch(() => undefined);
    await runner.release();
  }
}

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
