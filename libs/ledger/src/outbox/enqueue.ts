import { enqueueOutbox, type OutboxPayload } from '@sec-health/persistence';
import type { EntityManager } from 'typeorm';

import type { LedgerIntent } from './ledger-calls.js';

/**
 * Adds a ledger intent to the service's outbox inside the caller's transaction (the one that makes
 * the state change it records); returns the outbox row id. Idempotent per `idempotencyKey`.
 */
export function enqueueLedgerIntent(
  manager: EntityManager,
  idempotencyKey: string,
  intent: LedgerIntent,
): Promise<string> {
  return enqueueOutbox(manager, {
    idempotencyKey,
    kind: intent.kind,
    payload: intent.payload as unknown as OutboxPayload,
  });
}
