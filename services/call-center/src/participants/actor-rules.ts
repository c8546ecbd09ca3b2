import { ErrorCode, type ResolvedParticipant } from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';

import { forbidden, type Refusal } from '../refusal.js';

/**
 * Whether the gateway's asserted actor is the participant the authority knows now: same role,
 * active (else FORBIDDEN), and logged in with the current key version (else UNAUTHENTICATED: a
 * session from before a key rotation must log in again).
 */
export function actorRefusal(
  actor: Actor,
  known: ResolvedParticipant | undefined,
): Refusal | undefined {
  if (!known || known.role !== actor.role) {
    return forbidden('the actor is not a known participant in this role');
  }
  if (known.status !== 'active') return forbidden(`the actor is ${known.status}, not active`);
  if (known.keyVersion !== actor.keyVersion) {
    return {
      code: ErrorCode.Unauthenticated,
      message: 'the session was opened with keys that have since been rotated; log in again',
    };
  }
  return undefined;
}
