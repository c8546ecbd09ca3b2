import type { Logger } from '@sec-health/service-kit';

import type { AuthorityRuntime } from '../runtime/runtime.js';
import { ParticipantRepository } from './participant.repository.js';

const SWEEP_EVERY_MS = 10 * 60_000;

/** The moment before which a still-pending registration has expired. */
export function pendingCutoff(ttlHours: number, now: Date = new Date()): Date {
  return new Date(now.getTime() - ttlHours * 3_600_000);
}

/**
 * Deletes registrations nobody approved within AUTHORITY_PENDING_TTL_HOURS, now and every ten
 * minutes, so abandoned or flooded registrations do not pile up against the per-organization
 * cap. Any replica may sweep: the delete is idempotent. Returns a stop function.
 */
export function startPendingExpiry(runtime: AuthorityRuntime, logger: Logger): () => void {
  const sweep = async (): Promise<void> => {
    try {
      const deleted = await sweepExpiredRegistrations(runtime);
      if (deleted > 0) logger.info({ deleted }, 'expired pending registrations deleted');
    } catch (error) {
      logger.warn(
        { error: (error as Error).message },
        'pending registrations not swept; will retry',
      );
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), SWEEP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** Deletes the registrations that expired; returns how many. */
export function sweepExpiredRegistrations(runtime: AuthorityRuntime): Promise<number> {
  return new ParticipantRepository(runtime.dataSource).deletePendingSince(
    pendingCutoff(runtime.config.pending.ttlHours),
  );
}
