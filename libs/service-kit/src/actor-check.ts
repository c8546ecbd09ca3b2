import { ErrorCode, type ResolvedParticipant } from '@sec-health/protocol';

import type { Actor } from './actor.js';

/** Why the asserted actor may not act: the code and message a refusal answers with. */
export interface ActorProblem {
  readonly code: typeof ErrorCode.Forbidden | typeof ErrorCode.Unauthenticated;
  readonly message: string;
}

/**
 * Whether the gateway's asserted actor is the participant the authority knows now: same role,
 * active (else FORBIDDEN), and logged in with the current key version (else UNAUTHENTICATED: a
 * session from before a key rotation must log in again).
 */
export function actorProblem(
  actor: Actor,
  known: ResolvedParticipant | undefined,
): ActorProblem | undefined {
  if (!known || known.role !== actor.role) {
    return {
      code: ErrorCode.Forbidden,
      message: 'the actor is not a known participant in this role',
    };
  }
  if (known.status !== 'active') {
    return { code: ErrorCode.Forbidden, message: `the actor is ${known.status}, not active` };
  }
  if (known.keyVersion !== actor.keyVersion) {
    return {
      code: ErrorCode.Unauthenticated,
      message: 'the session was opened with keys that have since been rotated; log in again',
    };
  }
  return undefined;
}
