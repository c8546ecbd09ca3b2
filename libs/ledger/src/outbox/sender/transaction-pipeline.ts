import { outboxSenderSql as sql, type OutboxRow } from '@sec-health/persistence';

import type { PipelineContext, PipelineOptions, PipelineState } from './pipeline-context.js';
import { broadcast, REVERIFY_WINDOW_MS, reverifyConfirmedSince, settle } from './settle-rows.js';
import { feeData, signRow } from './sign-row.js';

/**
 * The leader's work on its outbox, one round at a time: settle what is in flight, then sign,
 * record and broadcast the next batch strictly in id order with locally tracked nonces, and wait
 * for the receipts. Chain failures surface as TransientError (see chain-call.ts); the sender
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
    const { dataSource, schema, batchSize } = ctx.options;
    if (ctx.state.mayHaveInFlight) {
      const inFlight = await sql.selectSent(dataSource, schema);
      if (inFlight.length > 0) {
        for (const row of inFlight) await broadcast(ctx, row);
        await settle(ctx, inFlight);
        return true;
      }
      ctx.state.mayHaveInFlight = false;
    }
    const pending = await sql.selectPending(dataSource, schema, batchSize);
    if (pending.length === 0) return false;

    const fees = await feeData(ctx);
    const sent: OutboxRow[] = [];
    for (const row of pending) {
      if (ctx.stopping()) break;
      const ready = await signRow(ctx, row, fees, sent);
      if (!ready) continue;
      await broadcast(ctx, ready);
      sent.push(ready);
    }
    await settle(ctx, sent);
    return true;
  }
}
