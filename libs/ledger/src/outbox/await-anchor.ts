import { cancelIfUnsent, readAnchorOutcome } from '@sec-health/persistence';
import type { DataSource } from 'typeorm';

import { LedgerError, LedgerErrorCode } from '../errors.js';
import { doneListener } from './done-listener.js';

export interface AnchorReceipt {
  readonly outboxId: string;
  /** Null only when the row's effect was already on chain from an earlier transaction. */
  readonly txHash: string | null;
  readonly blockNumber: number | null;
}

/** Fallback poll interval when no notification arrives. */
const POLL_MS = 250;

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
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Registered before reading, so a confirmation between the read and the wait is not missed.
    const remaining = deadline - Date.now();
    const waiter = listener?.wait(outboxId, Math.max(0, Math.min(remaining, POLL_MS)));
    let outcome: Awaited<ReturnType<typeof readAnchorOutcome>>;
    try {
      outcome = await readAnchorOutcome(dataSource, schema, outboxId);
    } catch (error) {
      waiter?.cancel();
      throw error;
    }
    if (!outcome) {
      waiter?.cancel();
      throw new LedgerError(LedgerErrorCode.AnchorFailed, `outbox row ${outboxId} does not exist`, {
        outboxId,
      });
    }
    const { anchor, lastError } = outcome;
    if (anchor.status === 'confirmed') {
      waiter?.cancel();
      return { outboxId, txHash: anchor.txHash, blockNumber: anchor.blockNumber };
    }
    if (anchor.status === 'failed') {
      waiter?.cancel();
      throw new LedgerError(
        LedgerErrorCode.AnchorFailed,
        `anchoring failed: ${lastError ?? anchor.status}`,
        { outboxId },
      );
    }
    if (remaining <= 0) {
      waiter?.cancel();
      const cancelled = await cancelIfUnsent(
        dataSource,
        schema,
        outboxId,
        'timed out waiting for the chain',
      );
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
