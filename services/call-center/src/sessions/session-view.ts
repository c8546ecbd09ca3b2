import type { OutboxAnchor } from '@sec-health/persistence';
import type { EmergencySession } from '@sec-health/protocol';

import { effectiveStatus } from './session-state.js';
import type { SessionEntity } from './session.entity.js';

const PENDING: OutboxAnchor = { status: 'pending', txHash: null, blockNumber: null };

/** A stored session as its viewers see it, with the anchor of its SessionOpened. */
export function toSession(
  entity: SessionEntity,
  anchor: OutboxAnchor | undefined,
  now: Date,
): EmergencySession {
  return {
    sessionId: entity.sessionId,
    patientId: entity.patientId,
    attendantId: entity.attendantId,
    organizationId: entity.organizationId,
    collaboratorId: entity.collaboratorId,
    reasonCode: entity.reasonCode,
    notes: entity.opening.notes ?? null,
    location: entity.opening.location ?? null,
    status: effectiveStatus(entity, now),
    openedAt: entity.openedAt.toISOString(),
    expiresAt: entity.expiresAt.toISOString(),
    closedAt: entity.closedAt?.toISOString() ?? null,
    closeReason: entity.closeReason,
    anchor: anchor ?? PENDING,
  };
}

/** What a session-changed event says: ids and time only, never notes. */
export function changeOf(session: SessionEntity, at: Date) {
  return {
    sessionId: session.sessionId,
    patientId: session.patientId,
    organizationId: session.organizationId,
    collaboratorId: session.collaboratorId,
    at: at.toISOString(),
  };
}
