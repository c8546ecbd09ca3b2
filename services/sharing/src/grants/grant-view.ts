import type { OutboxAnchor } from '@sec-health/persistence';
import type { Grant } from '@sec-health/protocol';

import { grantStatus, type ConsentState } from './consent-state.js';
import type { ConsentEntity } from './consent.entity.js';

const PENDING: OutboxAnchor = { status: 'pending', txHash: null, blockNumber: null };

export function stateOf(entity: ConsentEntity): ConsentState {
  return { consent: entity.body, revokedAt: entity.revokedAt };
}

/** A stored consent as its patient and grantee see it, with its anchors' state. */
export function toGrant(
  entity: ConsentEntity,
  keyCount: number,
  anchors: ReadonlyMap<string, OutboxAnchor>,
  now: Date,
): Grant {
  return {
    consent: entity.body,
    signature: entity.signature,
    status: grantStatus(stateOf(entity), now),
    revokedAt: entity.revokedAt?.toISOString() ?? null,
    keyCount,
    anchor: anchors.get(entity.outboxId) ?? PENDING,
    revocationAnchor:
      entity.revocationOutboxId === null
        ? null
        : (anchors.get(entity.revocationOutboxId) ?? PENDING),
  };
}
