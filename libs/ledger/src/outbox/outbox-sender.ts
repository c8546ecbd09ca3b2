import type { JsonRpcProvider, Wallet } from 'ethers';
import type { DataSource } from 'typeorm';

import { describeCause, LedgerError, LedgerErrorCode } from '../errors.js';
import { consoleLogger, type LedgerLogger } from '../logger.js';
import type { OutboxCallEncoder } from './outbox-call.js';
import { TransientError } from './sender/chain-call.js';
import { LeaderLock } from './sender/leader-lock.js';
import { TransactionPipeline } from './sender/transaction-pipeline.js';

export { advisoryLockKey } from './sender/leader-lock.js';

export interface OutboxSenderOptions {
  readonly dataSource: DataSource;
  /** The service's schema; its `outbox` table is drained. */
  readonly schema: string;
  readonly provider: JsonRpcProvider;
  /** The service account; the only key that sends for this schema (one leader at a time). */
  readonly signer: Wallet;
  readonly encoder: OutboxCallEncoder;
  /** Rows read per round (at least `maxBatch`, so a pack can fill). Default 64. */
  readonly batchSize?: number;
  /**
   * Most consecutive rows of a kind that packs (RecordRegistry.anchorRecord) sent as ONE
   * transaction (RecordRegistry.anchorRecords, which takes at most 128); 1 sends every row alone.
   * Default 100: about 11.8 M gas for 100 new records, within a 30 M block gas limit.
   */
  readonly maxBatch?: number;
  /** How often a follower tries to become leader; bounds the takeover time. */
  readonly leaderRetryMs?: number;
  /** Fallback poll when no notification arrives. */
  readonly idlePollMs?: number;
  /** How long to wait for receipts before checking whether a transaction vanished. */
  readonly receiptTimeoutMs?: number;
  readonly receiptPollMs?: number;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly logger?: LedgerLogger;
  /**
   * Gas limit of every transaction. The default, a fixed generous limit, saves an eth_estimateGas
   * per row on the hot path; only the gas used is charged, and a consortium chain prices gas at
   * zero. A revert then shows in the receipt and is replayed to name it. 'estimate' estimates each
   * row first (a revert is caught before it costs a nonce). A packed transaction's limit is always
   * estimated: its size varies, and a pack that would revert is then sent row by row instead.
   */
  readonly gasLimit?: bigint | 'estimate';
  /** How long fee data is reused before it is read again. */
  readonly feeTtlMs?: number;
}

const DEFAULT_GAS_LIMIT = 1_500_000n;
const DEFAULT_MAX_BATCH = 100;

/**
 * Drains one service's outbox to the chain (DESIGN.md section 7): one leader per service, chosen
 * by a PostgreSQL advisory lock held on a dedicated connection (LeaderLock); rows are sent
 * strictly in id order with locally tracked nonces (TransactionPipeline). Each transaction is
 * signed and recorded (hash and raw bytes) before it is broadcast, so after a crash the new
 * leader re-broadcasts exactly the same transaction rather than a second one: every row lands
 * once. Consecutive anchor rows are packed into one transaction (`maxBatch`). Reverts that mean
 * "already anchored" count as success; any other revert fails the row (and is logged); network
 * failures back off and retry. This class only runs the two loops.
 */
export class OutboxSender {
  readonly #schema: string;
  readonly #address: string;
  readonly #logger: LedgerLogger;
  readonly #leaderRetryMs: number;
  readonly #idlePollMs: number;
  readonly #backoff: { readonly initialMs: number; readonly maxMs: number };
  readonly #lock: LeaderLock;
  readonly #pipeline: TransactionPipeline;
  #stopping = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #woken = false;

  constructor(options: OutboxSenderOptions) {
    const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) {
      throw new LedgerError(
        LedgerErrorCode.InvalidConfig,
        `maxBatch must be a positive integer, got ${String(maxBatch)}`,
        { parameter: 'maxBatch' },
      );
    }
    this.#schema = options.schema;
    this.#address = options.signer.address;
    this.#logger = options.logger ?? consoleLogger;
    this.#leaderRetryMs = options.leaderRetryMs ?? 500;
    this.#idlePollMs = options.idlePollMs ?? 1_000;
    this.#backoff = options.backoff ?? { initialMs: 200, maxMs: 5_000 };
    this.#lock = new LeaderLock(options.dataSource, options.schema, () => this.nudge());
    this.#pipeline = new TransactionPipeline(
      {
        dataSource: options.dataSource,
        schema: options.schema,
        provider: options.provider,
        signer: options.signer,
        encoder: options.encoder,
        logger: this.#logger,
        batchSize: options.batchSize ?? 64,
        maxBatch,
        gasLimit: options.gasLimit ?? DEFAULT_GAS_LIMIT,
        feeTtlMs: options.feeTtlMs ?? 10_000,
        receiptTimeoutMs: options.receiptTimeoutMs ?? 30_000,
        receiptPollMs: options.receiptPollMs ?? 20,
      },
      { sleep: (ms) => this.#sleep(ms), stopping: () => this.#stopping },
    );
  }

  get isLeader(): boolean {
    return this.#lock.held;
  }

  get address(): string {
    return this.#address;
  }

  start(): void {
    if (this.#loop) return;
    this.#stopping = false;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    this.#loop = undefined;
  }

  /** Wakes the sender now (e.g. right after enqueueing in this process). */
  nudge(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** Follower loop: try to lead; while leading, drain; on a database failure give it up. */
  async #run(): Promise<void> {
    let backoff = this.#backoff.initialMs;
    while (!this.#stopping) {
      try {
        if (!(await this.#lock.acquire())) {
          await this.#sleep(this.#leaderRetryMs);
          continue;
        }
        this.#pipeline.leadershipStarted();
        this.#logger.info('outbox sender is leader', {
          schema: this.#schema,
          sender: this.address,
        });
        await this.#lead();
        backoff = this.#backoff.initialMs;
      } catch (error) {
        this.#logger.error('outbox sender lost leadership or its database connection', {
          schema: this.#schema,
          cause: describeCause(error),
        });
        await this.#lock.release();
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, this.#backoff.maxMs);
      }
    }
    await this.#lock.release();
  }

  /** Leader loop: drain round after round; a chain failure backs off, a database one throws. */
  async #lead(): Promise<void> {
    let backoff = this.#backoff.initialMs;
    // Since when the chain has been failing; the rows confirmed shortly before are checked again
    // once it answers, in case it came back without its latest blocks.
    let troubleSince: number | undefined = Date.now();
    while (!this.#stopping) {
      await this.#lock.assertHeld();
      try {
        if (troubleSince !== undefined) {
          await this.#pipeline.reverifyAfterTrouble(troubleSince);
          troubleSince = undefined;
        }
        const worked = await this.#pipeline.drainOnce();
        backoff = this.#backoff.initialMs;
        if (!worked) await this.#sleep(this.#idlePollMs);
      } catch (error) {
        if (!(error instanceof TransientError)) throw error;
        this.#logger.warn('chain unavailable, will retry', {
          schema: this.#schema,
          cause: error.message,
          retryInMs: backoff,
        });
        this.#pipeline.chainTrouble();
        troubleSince ??= Date.now();
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, this.#backoff.maxMs);
      }
    }
  }

  /** Sleeps up to `ms`; a wake-up that came while the sender was busy ends it at once. */
  #sleep(ms: number): Promise<void> {
    if (this.#woken) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}
