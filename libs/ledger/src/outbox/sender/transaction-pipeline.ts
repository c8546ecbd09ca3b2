import { outboxSenderSql as sql, type OutboxRow } from '@sec-health/persistence';

import { packRows } from '../pack-plan.js';
import type { Fees, PipelineContext, PipelineOptions, PipelineState } from './pipeline-context.js';
import { broadcast, REVERIFY_WINDOW_MS, reverifyConfirmedSince, settle } from './settle-rows.js';
import { signPack } from './sign-pack.js';
import { feeData, signRow } from './sign-row.js';

/**
 * The leader's work on its outbox, one round at a time: settle what is in flight, then sign,
 * record and broadcast the next batch strictly in id order with locally tracked nonces, and wait
 * for the receipts. Consecutive rows of a kind that packs (RecordRegistry.anchorRecord) go as one
 * transaction in the place of the first of them (see pack-plan.ts). Chain failures surface as TransientError (see chain-call.ts); the sender
 * backs off, calls `chainTrouble()` and goes on.
 */
export class TransactionPipeline {
  readonly #ctx: PipelineContext;

  constructor(
    options: PipelineOptions,
    control: { sleep: (ms: number) => Promise<void>; stopping: () => boolean },
  ) {
    const state: PipelineState = { nonce: undefined, mayHaveInFlight: true, fees: undefined };
    this.#ctx = { options, state, sleep: control.sleep, stopping: control.stopping };
  }

  /** A new leadership: nothing known about the nonce, and rows may have been left in flight. */
  leadershipStarted(): void {
    this.#ctx.state.nonce = undefined;
    this.#ctx.state.mayHaveInFlight = true;
  }

  /** The chain failed: forget the nonce and fees, and look at in-flight rows first next time. */
  chainTrouble(): void {
    this.#ctx.state.nonce = undefined;
    this.#ctx.state.fees = undefined;
    this.#ctx.state.mayHaveInFlight = true;
  }

  /** Rows confirmed since shortly before `troubleSince` are checked against the chain again. */
  reverifyAfterTrouble(troubleSince: number): Promise<void> {
    return reverifyConfirmedSince(this.#ctx, new Date(troubleSince - REVERIFY_WINDOW_MS));
  }

  /** One round; false when there was nothing to do. */
  async drainOnce(): Promise<boolean> {
    const ctx = this.#ctx;
    const { dataSource, schema, batchSize, maxBatch, encoder } = ctx.options;
    if (ctx.state.mayHaveInFlight) {
      const inFlight = await sql.selectSent(dataSource, schema);
      if (inFlight.length > 0) {
        for (const row of firstOfEachTransaction(inFlight)) await broadcast(ctx, row);
        await settle(ctx, inFlight);
        return true;
      }
      ctx.state.mayHaveInFlight = false;
    }
    // A round reads enough rows to fill a pack.
    const pending = await sql.selectPending(dataSource, schema, Math.max(batchSize, maxBatch));
    if (pending.length === 0) return false;

    const fees = await feeData(ctx);
    const sent: OutboxRow[] = [];
    const packLimit = (kind: string) => Math.min(maxBatch, encoder.packLimit(kind));
    for (const rows of packRows(pending, packLimit)) {
      if (ctx.stopping()) break;
      const packed = rows.length > 1 ? await signPack(ctx, rows, fees, sent) : undefined;
      if (packed) {
        await broadcast(ctx, packed[0]!);
        sent.push(...packed);
      } else {
        await this.#sendOneByOne(rows, fees, sent);
      }
    }
    await settle(ctx, sent);
    return true;
  }

  async #sendOneByOne(rows: readonly OutboxRow[], fees: Fees, sent: OutboxRow[]): Promise<void> {
    for (const row of rows) {
      if (this.#ctx.stopping()) return;
      const ready = await signRow(this.#ctx, row, fees, sent);
      if (!ready) continue;
      await broadcast(this.#ctx, ready);
      sent.push(ready);
    }
  }
}

/** One row per transaction: the rows of a pack share one signed transaction. */
function firstOfEachTransaction(rows: readonly OutboxRow[]): OutboxRow[] {
  const seen = new Set<string | null>();
  return rows.filter((row) => {
    if (seen.has(row.txHash)) return false;
    seen.add(row.txHash);
    return true;
  });
}
