import { createHash } from 'node:crypto';

import { keccak256, type JsonRpcProvider, type TransactionReceipt, type Wallet } from 'ethers';
import type { DataSource, QueryRunner } from 'typeorm';

import { describeCause } from '../errors.js';
import { consoleLogger, type LedgerLogger } from '../logger.js';
import { isAlreadyKnown, isNonceTooLow, isRevert, revertData } from './chain-errors.js';
import type { OutboxCallEncoder } from './outbox-call.js';
import {
  markConfirmed,
  markFailed,
  markPendingAgain,
  markRolledBack,
  markSent,
  newRowChannel,
  recordError,
  selectConfirmedSince,
  selectPending,
  selectSent,
  type OutboxRow,
} from './outbox-sql.js';

export interface OutboxSenderOptions {
  readonly dataSource: DataSource;
  /** The service's schema; its `outbox` table is drained. */
  readonly schema: string;
  readonly provider: JsonRpcProvider;
  /** The service account; the only key that sends for this schema (one leader at a time). */
  readonly signer: Wallet;
  readonly encoder: OutboxCallEncoder;
  readonly batchSize?: number;
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
   * row first (a revert is caught before it costs a nonce).
   */
  readonly gasLimit?: bigint | 'estimate';
  /** How long fee data is reused before it is read again. */
  readonly feeTtlMs?: number;
}

type Fees = Awaited<ReturnType<JsonRpcProvider['getFeeData']>>;

const DEFAULT_GAS_LIMIT = 1_500_000n;

class TransientError extends Error {}

/** How far before the chain's trouble began confirmed rows are checked again. */
const REVERIFY_WINDOW_MS = 60_000;
/** How often the leader checks that its lock's connection is alive. */
const LOCK_CHECK_MS = 1_000;

/**
 * Drains one service's outbox to the chain (DESIGN.md section 7): one leader per service, chosen
 * by a PostgreSQL advisory lock held on a dedicated connection; rows are sent strictly in id order
 * with locally tracked nonces. Each transaction is signed and recorded (hash and raw bytes) before
 * it is broadcast, so after a crash the new leader re-broadcasts exactly the same transaction
 * rather than a second one: every row lands once. Reverts that mean "already anchored" count as
 * success; any other revert fails the row (and is logged); network failures back off and retry.
 */
export class OutboxSender {
  readonly #o: Required<Omit<OutboxSenderOptions, 'logger' | 'backoff'>> & {
    logger: LedgerLogger;
    backoff: { initialMs: number; maxMs: number };
  };
  readonly #lockKey: string;
  #stopping = false;
  #loop: Promise<void> | undefined;
  #lock: QueryRunner | undefined;
  #wake: (() => void) | undefined;
  #nonce: number | undefined;
  #leader = false;
  #woken = false;
  /** Whether rows may be in 'sent' state: at leadership start, after errors, after a stall. */
  #mayHaveInFlight = true;
  #lockCheckedAt = 0;
  #fees: { readonly value: Fees; readonly at: number } | undefined;

  constructor(options: OutboxSenderOptions) {
    this.#o = {
      batchSize: 64,
      leaderRetryMs: 500,
      idlePollMs: 1_000,
      receiptTimeoutMs: 30_000,
      receiptPollMs: 20,
      gasLimit: DEFAULT_GAS_LIMIT,
      feeTtlMs: 10_000,
      ...options,
      backoff: options.backoff ?? { initialMs: 200, maxMs: 5_000 },
      logger: options.logger ?? consoleLogger,
    };
    this.#lockKey = advisoryLockKey(`outbox:${options.schema}`);
  }

  get isLeader(): boolean {
    return this.#leader;
  }

  get address(): string {
    return this.#o.signer.address;
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

  async #run(): Promise<void> {
    let backoff = this.#o.backoff.initialMs;
    while (!this.#stopping) {
      try {
        if (!(await this.#acquireLeadership())) {
          await this.#sleep(this.#o.leaderRetryMs);
          continue;
        }
        await this.#lead();
        backoff = this.#o.backoff.initialMs;
      } catch (error) {
        this.#o.logger.error('outbox sender lost leadership or its database connection', {
          schema: this.#o.schema,
          cause: describeCause(error),
        });
        await this.#releaseLeadership();
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, this.#o.backoff.maxMs);
      }
    }
    await this.#releaseLeadership();
  }

  async #acquireLeadership(): Promise<boolean> {
    const runner = this.#o.dataSource.createQueryRunner();
    try {
      const connection = (await runner.connect()) as {
        on(event: 'notification', listener: (message: { channel: string }) => void): void;
        on(event: 'error', listener: (error: Error) => void): void;
      };
      const [row] = (await runner.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [
        this.#lockKey,
      ])) as { locked: boolean }[];
      if (!row?.locked) {
        await runner.release();
        return false;
      }
      connection.on('notification', () => this.nudge());
      connection.on('error', () => this.nudge());
      await runner.query(`LISTEN "${newRowChannel(this.#o.schema)}"`);
      this.#lock = runner;
      this.#leader = true;
      this.#nonce = undefined;
      this.#mayHaveInFlight = true;
      this.#lockCheckedAt = Date.now();
      this.#o.logger.info('outbox sender is leader', {
        schema: this.#o.schema,
        sender: this.address,
      });
      return true;
    } catch (error) {
      await runner.release().catch(() => undefined);
      throw error;
    }
  }

  async #releaseLeadership(): Promise<void> {
    const runner = this.#lock;
    this.#lock = undefined;
    this.#leader = false;
    if (!runner) return;
    try {
      await runner.query('SELECT pg_advisory_unlock($1::bigint)', [this.#lockKey]);
      await runner.query('UNLISTEN *');
    } catch {
      // The connection is gone, and with it the lock.
    }
    await runner.release().catch(() => undefined);
  }

  async #lead(): Promise<void> {
    let backoff = this.#o.backoff.initialMs;
    // Since when the chain has been failing; the rows confirmed shortly before are checked again
    // once it answers, in case it came back without its latest blocks.
    let troubleSince: number | undefined = Date.now();
    while (!this.#stopping) {
      // Fails, and so gives up leadership, when the lock's connection is gone.
      if (Date.now() - this.#lockCheckedAt > LOCK_CHECK_MS) {
        await this.#lock!.query('SELECT 1');
        this.#lockCheckedAt = Date.now();
      }
      try {
        if (troubleSince !== undefined) {
          await this.#reverifyConfirmedSince(new Date(troubleSince - REVERIFY_WINDOW_MS));
          troubleSince = undefined;
        }
        const worked = await this.#drainOnce();
        backoff = this.#o.backoff.initialMs;
        if (!worked) await this.#sleep(this.#o.idlePollMs);
      } catch (error) {
        if (!(error instanceof TransientError)) throw error;
        this.#o.logger.warn('chain unavailable, will retry', {
          schema: this.#o.schema,
          cause: error.message,
          retryInMs: backoff,
        });
        this.#nonce = undefined;
        this.#fees = undefined;
        this.#mayHaveInFlight = true;
        troubleSince ??= Date.now();
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, this.#o.backoff.maxMs);
      }
    }
  }

  /**
   * A chain that restarts from a state saved a moment before it stopped (a development node) can
   * come back without transactions it had already mined and answered receipts for. Rows confirmed
   * shortly before the trouble began are checked; one whose transaction is gone is sent again.
   * On a chain with immediate finality (Besu QBFT) this never finds anything.
   */
  async #reverifyConfirmedSince(since: Date): Promise<void> {
    const rows = await selectConfirmedSince(this.#o.dataSource, this.#o.schema, since);
    for (const row of rows) {
      const receipt = await this.#chain(
        () => this.#o.provider.getTransactionReceipt(row.txHash!),
        'receipt',
      );
      if (receipt) continue;
      this.#o.logger.warn('a confirmed transaction is no longer on chain; sending it again', {
        id: row.id,
        nonce: row.nonce,
      });
      await markRolledBack(this.#o.dataSource, this.#o.schema, row.id);
      this.#nonce = undefined;
    }
  }

  /** One round: settle what is in flight, then sign, record and broadcast the next batch. */
  async #drainOnce(): Promise<boolean> {
    const db = this.#o.dataSource;
    if (this.#mayHaveInFlight) {
      const inFlight = await selectSent(db, this.#o.schema);
      if (inFlight.length > 0) {
        for (const row of inFlight) await this.#broadcast(row);
        await this.#settle(inFlight);
        return true;
      }
      this.#mayHaveInFlight = false;
    }
    const pending = await selectPending(db, this.#o.schema, this.#o.batchSize);
    if (pending.length === 0) return false;

    const fees = await this.#feeData();
    const sent: OutboxRow[] = [];
    for (const row of pending) {
      if (this.#stopping) break;
      const ready = await this.#prepare(row, fees, sent);
      if (!ready) continue;
      await this.#broadcast(ready);
      sent.push(ready);
    }
    await this.#settle(sent);
    return true;
  }

  /** Estimates, signs and records one row; returns it ready to broadcast, or undefined if it ended. */
  async #prepare(
    row: OutboxRow,
    fees: Fees,
    inFlight: OutboxRow[],
  ): Promise<OutboxRow | undefined> {
    const db = this.#o.dataSource;
    let call;
    try {
      call = this.#o.encoder.encode(row.kind, row.payload);
    } catch (error) {
      this.#o.logger.error('outbox row cannot be encoded; marked failed', {
        id: row.id,
        kind: row.kind,
      });
      await markFailed(db, this.#o.schema, row.id, `cannot encode: ${describeCause(error)}`);
      return undefined;
    }
    const from = this.address;
    let gas: bigint;
    try {
      gas =
        this.#o.gasLimit === 'estimate' ? await this.#estimateLimit(call, from) : this.#o.gasLimit;
    } catch (error) {
      if (!isRevert(error)) throw new TransientError(describeCause(error));
      // A row may depend on an earlier one of this batch not yet mined: settle those, then retry once.
      if (inFlight.length > 0) {
        await this.#settle(inFlight.splice(0));
        try {
          gas = await this.#estimateLimit(call, from);
        } catch (retryError) {
          return this.#endOnRevert(row, retryError);
        }
      } else {
        return this.#endOnRevert(row, error);
      }
    }
    if (this.#nonce === undefined) {
      this.#nonce = await this.#chain(
        () => this.#o.provider.getTransactionCount(from, 'pending'),
        'nonce',
      );
    }
    const nonce = this.#nonce;
    const rawTx = await this.#o.signer.signTransaction({
      to: call.to,
      data: call.data,
      nonce,
      gasLimit: gas,
      chainId: this.#o.provider._network.chainId,
      ...(fees.maxFeePerGas !== null
        ? {
            type: 2,
            maxFeePerGas: fees.maxFeePerGas,
            maxPriorityFeePerGas: fees.maxPriorityFeePerGas ?? 0n,
          }
        : { type: 0, gasPrice: fees.gasPrice ?? 0n }),
    });
    const txHash = keccak256(rawTx);
    const claimed = await markSent(db, this.#o.schema, row.id, {
      nonce,
      txHash,
      rawTx,
      sender: from,
    });
    if (!claimed) return undefined; // cancelled by a waiter that timed out: never send it late
    this.#nonce = nonce + 1;
    return { ...row, status: 'sent', nonce: String(nonce), txHash, rawTx };
  }

  async #estimate(call: { to: string; data: string }, from: string): Promise<bigint> {
    return this.#o.provider.estimateGas({ ...call, from });
  }

  async #estimateLimit(call: { to: string; data: string }, from: string): Promise<bigint> {
    return ((await this.#estimate(call, from)) * 12n) / 10n + 10_000n;
  }

  async #feeData(): Promise<Fees> {
    if (this.#fees && Date.now() - this.#fees.at < this.#o.feeTtlMs) return this.#fees.value;
    const value = await this.#chain(() => this.#o.provider.getFeeData(), 'fee data');
    this.#fees = { value, at: Date.now() };
    return value;
  }

  async #endOnRevert(row: OutboxRow, error: unknown): Promise<undefined> {
    if (!isRevert(error)) throw new TransientError(describeCause(error));
    const data = revertData(error);
    const decoded = data ? this.#o.encoder.decodeRevert(data) : undefined;
    if (decoded && this.#o.encoder.isAlreadyAnchored(row.kind, decoded)) {
      await markConfirmed(this.#o.dataSource, this.#o.schema, row.id, {
        txHash: null,
        blockNumber: null,
        note: `already anchored (${decoded.name})`,
      });
      return undefined;
    }
    const reason = decoded ? `reverted: ${decoded.name}` : `reverted: ${describeCause(error)}`;
    this.#o.logger.error('outbox row reverted; marked failed', {
      id: row.id,
      kind: row.kind,
      reason,
    });
    await markFailed(this.#o.dataSource, this.#o.schema, row.id, reason);
    return undefined;
  }

  async #broadcast(row: OutboxRow): Promise<void> {
    try {
      await this.#o.provider.send('eth_sendRawTransaction', [row.rawTx]);
    } catch (error) {
      if (isAlreadyKnown(error) || isNonceTooLow(error)) return; // settled by its receipt below
      if (isRevert(error)) return;
      throw new TransientError(`broadcast failed: ${describeCause(error)}`);
    }
  }

  /** Waits for the receipts of `rows`, recording each; re-queues transactions that vanished. */
  async #settle(rows: OutboxRow[]): Promise<void> {
    let open = rows.filter((r) => r.txHash);
    const deadline = Date.now() + this.#o.receiptTimeoutMs;
    // Receipts usually exist within a few ms of the broadcast: poll fast first, then back off.
    let pollMs = 1;
    while (open.length > 0) {
      // Nonces are consecutive: while the last transaction has no receipt, wait on it alone.
      const last = open[open.length - 1]!;
      const lastReceipt = await this.#chain(
        () => this.#o.provider.getTransactionReceipt(last.txHash!),
        'receipt',
      );
      const receipts = lastReceipt
        ? await this.#chain(
            () =>
              Promise.all(
                open.map((r) =>
                  r === last
                    ? Promise.resolve(lastReceipt)
                    : this.#o.provider.getTransactionReceipt(r.txHash!),
                ),
              ),
            'receipts',
          )
        : open.map(() => null);
      const still: OutboxRow[] = [];
      for (const [i, row] of open.entries()) {
        const receipt = receipts[i];
        if (receipt) await this.#record(row, receipt);
        else still.push(row);
      }
      open = still;
      if (open.length === 0) return;
      if (Date.now() > deadline) {
        this.#mayHaveInFlight = true;
        await this.#requeueVanished(open);
        return;
      }
      await this.#sleep(pollMs);
      pollMs = Math.min(pollMs * 2, this.#o.receiptPollMs);
      if (this.#stopping) {
        this.#mayHaveInFlight = true;
        return;
      }
    }
  }

  async #record(row: OutboxRow, receipt: TransactionReceipt): Promise<void> {
    if (receipt.status === 1) {
      await markConfirmed(this.#o.dataSource, this.#o.schema, row.id, {
        txHash: receipt.hash,
        blockNumber: receipt.blockNumber,
      });
      return;
    }
    // Mined but reverted: find out why by replaying the call now.
    try {
      const call = this.#o.encoder.encode(row.kind, row.payload);
      await this.#estimate(call, this.address);
      await markFailed(
        this.#o.dataSource,
        this.#o.schema,
        row.id,
        `transaction ${receipt.hash} reverted`,
      );
    } catch (error) {
      await this.#endOnRevert(row, error);
    }
  }

  async #requeueVanished(rows: OutboxRow[]): Promise<void> {
    // Receipts that never come usually mean a nonce gap: the chain lost an earlier transaction.
    await this.#reverifyConfirmedSince(new Date(Date.now() - REVERIFY_WINDOW_MS));
    const latest = await this.#chain(
      () => this.#o.provider.getTransactionCount(this.address, 'latest'),
      'nonce',
    );
    for (const row of rows) {
      const known = await this.#chain(
        () => this.#o.provider.getTransaction(row.txHash!),
        'transaction',
      );
      if (!known || Number(row.nonce) > latest) {
        this.#o.logger.warn('transaction vanished from the chain; signing it again', {
          id: row.id,
          nonce: row.nonce,
        });
        await markPendingAgain(
          this.#o.dataSource,
          this.#o.schema,
          row.id,
          'transaction vanished; re-signed',
        );
        this.#nonce = undefined;
      } else {
        await recordError(this.#o.dataSource, this.#o.schema, row.id, 'receipt not yet available');
      }
    }
  }

  async #chain<T>(fn: () => Promise<T>, what: string): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw new TransientError(`${what}: ${describeCause(error)}`);
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

/** A stable signed 64-bit key for pg advisory locks, from a name. */
export function advisoryLockKey(name: string): string {
  const digest = createHash('sha256').update(name).digest();
  return digest.readBigInt64BE(0).toString();
}
