import { createHash } from 'node:crypto';

import { outboxChannel } from '@sec-health/persistence';
import type { DataSource, QueryRunner } from 'typeorm';

/** How often the leader checks that its lock's connection is alive. */
const LOCK_CHECK_MS = 1_000;

/** A pg client as the query runner exposes it, for its events. */
interface LockConnection {
  on(event: 'notification', listener: (message: { channel: string }) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
}

/**
 * Leadership over one schema's outbox: a PostgreSQL advisory lock held on a dedicated connection
 * from the data source's pool. The same connection LISTENs for new rows and calls `onWake` on
 * each notification (and on a connection error, so the leader notices at once). The lock lives
 * as long as the connection: when the leader's process dies, PostgreSQL ends the session and the
 * next `acquire()` of another process succeeds.
 */
export class LeaderLock {
  readonly #key: string;
  #runner: QueryRunner | undefined;
  #checkedAt = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly onWake: () => void,
  ) {
    this.#key = advisoryLockKey(`outbox:${schema}`);
  }

  get held(): boolean {
    return this.#runner !== undefined;
  }

  /** Tries once; true when this process now leads. Database errors are thrown. */
  async acquire(): Promise<boolean> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const connection = (await runner.connect()) as LockConnection;
      const [row] = (await runner.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [
        this.#key,
      ])) as { locked: boolean }[];
      if (!row?.locked) {
        await runner.release();
        return false;
      }
      connection.on('notification', () => this.onWake());
      connection.on('error', () => this.onWake());
      await runner.query(`LISTEN "${outboxChannel(this.schema, 'new')}"`);
      this.#runner = runner;
      this.#checkedAt = Date.now();
      return true;
    } catch (error) {
      await runner.release().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Throws when the lock's connection is gone (checked at most once per second), so the leader
   * stops sending: another process may hold the lock by now.
   */
  async assertHeld(): Promise<void> {
    if (Date.now() - this.#checkedAt <= LOCK_CHECK_MS) return;
    await this.#runner!.query('SELECT 1');
    this.#checkedAt = Date.now();
  }

  async release(): Promise<void> {
    const runner = this.#runner;
    this.#runner = undefined;
    if (!runner) return;
    try {
      await runner.query('SELECT pg_advisory_unlock($1::bigint)', [this.#key]);
      await runner.query('UNLISTEN *');
    } catch {
      // The connection is gone, and with it the lock.
    }
    await runner.release().catch(() => undefined);
  }
}

/** A stable signed 64-bit key for pg advisory locks, from a name. */
export function advisoryLockKey(name: string): string {
  const digest = createHash('sha256').update(name).digest();
  return digest.readBigInt64BE(0).toString();
}
