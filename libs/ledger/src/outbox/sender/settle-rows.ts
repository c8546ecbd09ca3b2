import { outboxSenderSql as sql, type OutboxRow } from '@sec-health/persistence';
import type { TransactionReceipt } from 'ethers';

import { describeCause } from '../../errors.js';
import { isAlreadyKnown, isNonceTooLow, isRevert } from '../chain-errors.js';
import { chainCall, TransientError } from './chain-call.js';
import type { PipelineContext } from './pipeline-context.js';
import { endMinedRevert } from './revert-outcome.js';

/** How far before the chain's trouble began confirmed rows are checked again. */
export const REVERIFY_WINDOW_MS = 60_000;

/** Sends a recorded transaction; "already known" and "nonce too low" are settled by the receipt. */
export async function broadcast(ctx: PipelineContext, row: OutboxRow): Promise<void> {
  try {
    await ctx.options.provider.send('eth_sendRawTransaction', [row.rawTx]);
  } catch (error) {
    if (isAlreadyKnown(error) || isNonceTooLow(error)) return; // settled by its receipt below
    if (isRevert(error)) return;
    throw new TransientError(`broadcast failed: ${describeCause(error)}`);
  }
}

/**
 * Waits for the receipts of `rows`, recording each; re-queues transactions that vanished. Rows of
 * one pack share a transaction: its receipt is read once and settles all of them.
 */
export async function settle(ctx: PipelineContext, rows: OutboxRow[]): Promise<void> {
  const { provider, receiptTimeoutMs, receiptPollMs } = ctx.options;
  let open = rows.filter((r) => r.txHash);
  const deadline = Date.now() + receiptTimeoutMs;
  // Receipts usually exist within a few ms of the broadcast: poll fast first, then back off.
  let pollMs = 1;
  while (open.length > 0) {
    const hashes = [...new Set(open.map((r) => r.txHash!))];
    // Nonces are consecutive: while the last transaction has no receipt, wait on it alone.
    const last = hashes[hashes.length - 1]!;
    const lastReceipt = await chainCall(() => provider.getTransactionReceipt(last), 'receipt');
    const receipts = new Map<string, TransactionReceipt | null>();
    if (lastReceipt) {
      const all = await chainCall(
        () =>
          Promise.all(
            hashes.map((hash) =>
              hash === last ? Promise.resolve(lastReceipt) : provider.getTransactionReceipt(hash),
            ),
          ),
        'receipts',
      );
      hashes.forEach((hash, i) => receipts.set(hash, all[i] ?? null));
    }
    const still: OutboxRow[] = [];
    for (const row of open) {
      const receipt = receipts.get(row.txHash!);
      if (receipt) await record(ctx, row, receipt);
      else still.push(row);
    }
    open = still;
    if (open.length === 0) return;
    if (Date.now() > deadline) {
      ctx.state.mayHaveInFlight = true;
      await requeueVanished(ctx, open);
      return;
    }
    await ctx.sleep(pollMs);
    pollMs = Math.min(pollMs * 2, receiptPollMs);
    if (ctx.stopping()) {
      ctx.state.mayHaveInFlight = true;
      return;
    }
  }
}

async function record(
  ctx: PipelineContext,
  row: OutboxRow,
  receipt: TransactionReceipt,
): Promise<void> {
  const { dataSource, schema } = ctx.options;
  if (receipt.status === 1) {
    await sql.markConfirmed(dataSource, schema, row.id, {
      txHash: receipt.hash,
      blockNumber: receipt.blockNumber,
    });
    return;
  }
  await endMinedRevert(ctx, row, receipt.hash);
}

async function requeueVanished(ctx: PipelineContext, rows: OutboxRow[]): Promise<void> {
  const { dataSource, schema, provider, signer, logger } = ctx.options;
  // Receipts that never come usually mean a nonce gap: the chain lost an earlier transaction.
  await reverifyConfirmedSince(ctx, new Date(Date.now() - REVERIFY_WINDOW_MS));
  const latest = await chainCall(
    () => provider.getTransactionCount(signer.address, 'latest'),
    'nonce',
  );
  const lookups = new Map<string, Promise<unknown>>();
  for (const row of rows) {
    const hash = row.txHash!;
    if (!lookups.has(hash)) {
      lookups.set(
        hash,
        chainCall(() => provider.getTransaction(hash), 'transaction'),
      );
    }
    const known = await lookups.get(hash);
    if (!known || Number(row.nonce) > latest) {
      logger.warn('transaction vanished from the chain; signing it again', {
        id: row.id,
        nonce: row.nonce,
      });
      await sql.markPendingAgain(dataSource, schema, row.id, 'transaction vanished; re-signed');
      ctx.state.nonce = undefined;
    } else {
      await sql.recordError(dataSource, schema, row.id, 'receipt not yet available');
    }
  }
}

/**
 * A chain that restarts from a state saved a moment before it stopped (a development node) can
 * come back without transactions it had already mined and answered receipts for. Rows confirmed
 * since `since` are checked; one whose transaction is gone is sent again. On a chain with
 * immediate finality (Besu QBFT) this never finds anything.
 */
export async function reverifyConfirmedSince(ctx: PipelineContext, since: Date): Promise<void> {
  const { dataSource, schema, provider, logger } = ctx.options;
  const rows = await sql.selectConfirmedSince(dataSource, schema, since);
  const lookups = new Map<string, Promise<unknown>>();
  for (const row of rows) {
    const hash = row.txHash!;
    if (!lookups.has(hash)) {
      lookups.set(
        hash,
        chainCall(() => provider.getTransactionReceipt(hash), 'receipt'),
      );
    }
    const receipt = await lookups.get(hash);
    if (receipt) continue;
    logger.warn('a confirmed transaction is no longer on chain; sending it again', {
      id: row.id,
      nonce: row.nonce,
    });
    await sql.markRolledBack(dataSource, schema, row.id);
    ctx.state.nonce = undefined;
  }
}
