import { causes } from '@sec-health/errors';

import { hasUnavailableSignal, errorCodeOf, UNIQUE_VIOLATION } from './database-error-signals.js';
import { PersistenceError, PersistenceErrorCode } from './errors.js';

/**
 * What a failed database call means for the request that made it:
 * - 'unavailable': the database cannot be reached or is shutting down (connection refused, reset
 *   or terminated, SQLSTATE 08xxx, 57P01-57P03, too many connections, connect and pool timeouts):
 *   the caller answers "dependency unavailable" and may retry later;
 * - 'conflict': a uniqueness rule refused the write (SQLSTATE 23505, or an outbox idempotency key
 *   reused for a different entry);
 * - 'other': anything else (a bug, a bad query, a constraint of another kind).
 * Accepts raw pg / TypeORM errors and PersistenceErrors, and looks through `cause` chains.
 */
export function classifyDatabaseError(error: unknown): 'unavailable' | 'conflict' | 'other' {
  for (const current of causes(error)) {
    if (current instanceof PersistenceError) {
      if (current.code === PersistenceErrorCode.DatabaseUnavailable) return 'unavailable';
      if (current.code === PersistenceErrorCode.IdempotencyConflict) return 'conflict';
    } else {
      if (hasUnavailableSignal(current)) return 'unavailable';
      if (errorCodeOf(current) === UNIQUE_VIOLATION) return 'conflict';
    }
  }
  return 'other';
}
