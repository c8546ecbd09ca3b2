import { enqueueLedgerIntent } from '@sec-health/ledger';
import { domainEvents } from '@sec-health/protocol';

import type { CallCenterContext } from '../runtime/runtime.js';
import { closeKey, closeSessionIntent } from './session-anchors.js';
import { changeOf } from './session-view.js';
import { SessionRepository } from './session.repository.js';

/** Sessions expired per transaction. */
const BATCH = 100;
/**
 * closeSession(Expired) reverts until the chain's block time reaches expiresAt; a session is swept
 * this long after its expiry, so a chain clock a few seconds behind ours still accepts it.
 * Callers see the session as expired from its expiry on (effectiveStatus).
 */
const CHAIN_CLOCK_GRACE_MS = 5_000;

/**
 * Every `intervalMs`, marks open sessions past their expiry as expired (close reason expired) and
 * enqueues closeSession(sessionId, Expired) in the same transaction, then publishes
 * events.session.closed. Replicas may all run it: rows are locked with SKIP LOCKED, and each
 * session's close has one outbox key.
 */
export class ExpirySweep {
  readonly #sessions: SessionRepository;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> = Promise.resolve();
  #stopped = true;

  constructor(
    private readonly context: CallCenterContext,
    private readonly intervalMs: number,
  ) {
    this.#sessions = new SessionRepository(context.runtime.dataSource);
  }

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** One pass: how many sessions it expired. */
  async runOnce(): Promise<number> {
    const now = this.context.clock();
    const cutoff = new Date(now.getTime() - CHAIN_CLOCK_GRACE_MS);
    const { dataSource, sender } = this.context.runtime;
    const expired = await dataSource.transaction(async (m) => {
      const rows = await this.#sessions.lockExpired(m, cutoff, BATCH);
      for (const row of rows) {
        row.status = 'expired';
        row.closedAt = now;
        row.closeReason = 'expired';
        await enqueueLedgerIntent(
          m,
          closeKey(row.sessionId),
          closeSessionIntent(row.sessionId, 'expired'),
        );
        await this.#sessions.save(m, row);
      }
      return rows;
    });
    if (expired.length > 0) {
      sender.nudge();
      for (const row of expired) {
        this.context.events.publish(domainEvents.sessionClosed, changeOf(row, now));
      }
      this.context.runtime.logger.info({ expired: expired.length }, 'sessions expired');
    }
    return expired.length;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.runOnce()
        .catch((error: unknown) => {
          this.context.runtime.logger.warn(
            { err: (error as Error).message?.split('\n')[0] },
            'expiry sweep failed; retrying on the next pass',
          );
        })
        .finally(() => this.#schedule());
    }, this.intervalMs);
    this.#timer.unref();
  }
}
