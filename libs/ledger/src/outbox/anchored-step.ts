import {
  enqueueOutboxNow,
  isPersistenceError,
  PersistenceErrorCode,
  type OutboxPayload,
} from '@sec-health/persistence';
import type { DataSource, EntityManager } from 'typeorm';

import { LedgerError, LedgerErrorCode } from '../errors.js';
import { awaitAnchor, type AnchorReceipt } from './await-anchor.js';
import type { LedgerIntent } from './ledger-calls.js';

export interface AnchoredStepOptions<T> {
  readonly dataSource: DataSource;
  readonly schema: string;
  /** Unique per step; a retried request reuses it and finds its earlier anchor. */
  readonly idempotencyKey: string;
  readonly intent: LedgerIntent;
  /** How long to wait for the receipt before failing with LedgerError(Unavailable). */
  readonly timeoutMs: number;
  /** The state change; it is committed only once the anchor is on chain. */
  readonly work: (manager: EntityManager) => Promise<T>;
  /** Wakes the local sender at once instead of on its next notification or poll. */
  readonly nudge?: () => void;
}

export interface AnchoredStepResult<T> {
  readonly result: T;
  readonly receipt: AnchorReceipt;
}

/**
 * A step that must be logged before it takes effect (e.g. opening an emergency session), per
 * docs/adr/0001-fail-closed-anchoring-intent-first.md: the state change runs in an open
 * transaction; the anchor intent is committed to the outbox on its own; the step waits for the
 * receipt and commits the state change only then. When the chain does not confirm within
 * `timeoutMs` the state change is rolled back and LedgerError(Unavailable) is thrown: nothing
 * takes effect unlogged. A retry with the same idempotency key reuses the same outbox row, so a
 * late anchor is never duplicated.
 */
export async function runAnchoredStep<T>(
  options: AnchoredStepOptions<T>,
): Promise<AnchoredStepResult<T>> {
  const runner = options.dataSource.createQueryRunner();
  await runner.connect();
  let committed = false;
  try {
    await runner.startTransaction();
    const result = await options.work(runner.manager);
    const outboxId = await enqueueStep(options);
    options.nudge?.();
    const receipt = await awaitAnchor(
      options.dataSource,
      options.schema,
      outboxId,
      options.timeoutMs,
    );
    await runner.commitTransaction();
    committed = true;
    return { result, receipt };
  } finally {
    if (!committed && runner.isTransactionActive) {
      await runner.rollbackTransaction().catch(() => undefined);
    }
    await runner.release();
  }
}

/**
 * One round trip: the intent is committed on its own, before the step's state change. A key that
 * is malformed or already names a different intent is the caller's mistake: InvalidArgument.
 */
async function enqueueStep(options: AnchoredStepOptions<unknown>): Promise<string> {
  try {
    return await enqueueOutboxNow(options.dataSource, options.schema, {
      idempotencyKey: options.idempotencyKey,
      kind: options.intent.kind,
      payload: options.intent.payload as unknown as OutboxPayload,
    });
  } catch (error) {
    if (isPersistenceError(error, PersistenceErrorCode.IdempotencyConflict)) {
      const key = JSON.stringify(options.idempotencyKey.slice(0, 64));
      throw new LedgerError(
        LedgerErrorCode.InvalidArgument,
        `idempotencyKey ${key} was used for a different ledger intent`,
        {},
        { cause: error },
      );
    }
    if (isPersistenceError(error, PersistenceErrorCode.InvalidOutboxEntry)) {
      throw new LedgerError(LedgerErrorCode.InvalidArgument, error.message, {}, { cause: error });
    }
    throw error;
  }
}
