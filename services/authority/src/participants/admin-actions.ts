import { fromBase64Url, verifyCanonical } from '@sec-health/crypto';
import {
  ADMIN_ACTION_MAX_SKEW_MS,
  adminActionStatement,
  ErrorCode,
  ProtocolError,
  type ActionAuthorization,
  type AdminAction,
} from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';

import type { KnownActor } from './access.js';
import { forbidden, knownActor } from './actors.js';
import type { ParticipantRepository } from './participant.repository.js';

/**
 * The actor of an administrative action, checked before anything changes: known in the database,
 * active (else FORBIDDEN), and the request signed by the actor's own stored signing key over
 * adminActionStatement, with `signedAt` within ADMIN_ACTION_MAX_SKEW_MS of now (else
 * UNAUTHENTICATED). The gateway's word about who is acting is not enough on its own.
 *
 * Replays inside the window do no harm: approve and revoke are state transitions (a repeat is
 * CONFLICT), and organization names are unique per authority, so a replayed create is CONFLICT.
 */
export async function signedActor(
  participants: ParticipantRepository,
  actor: Actor | undefined,
  action: AdminAction,
  fields: Record<string, string>,
  authorization: ActionAuthorization,
  now: Date = new Date(),
): Promise<KnownActor> {
  const who = await knownActor(participants, actor);
  if (who.status !== 'active') throw forbidden(`the actor ${who.id} is not active`);
  const signedAt = Date.parse(authorization.signedAt);
  if (!(Math.abs(now.getTime() - signedAt) <= ADMIN_ACTION_MAX_SKEW_MS)) {
    throw new ProtocolError(
      ErrorCode.Unauthenticated,
      `signedAt is outside the allowed ${ADMIN_ACTION_MAX_SKEW_MS / 60_000} minutes`,
    );
  }
  const statement = adminActionStatement(action, who.id, fields, authorization.signedAt);
  let valid = false;
  try {
    valid = verifyCanonical(
      fromBase64Url('signingKey', who.signingKey),
      statement,
      fromBase64Url('authorization.signature', authorization.signature),
    );
  } catch {
    // a signature that does not decode is as invalid as one that does not verify
  }
  if (!valid) {
    throw new ProtocolError(ErrorCode.Unauthenticated, `the action is not signed by ${who.id}`);
  }
  const { signingKey: _signingKey, ...known } = who;
  return known;
}
