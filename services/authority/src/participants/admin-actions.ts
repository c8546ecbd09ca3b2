import { verifyCanonicalEncoded } from '@sec-health/crypto';
import {
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
import { assertRecent } from './signatures.js';

/**
 * The actor of an administrative action, checked before anything changes: known in the database,
 * active (else FORBIDDEN), and the request signed by the actor's own stored signing key over
 * adminActionStatement, with `signedAt` within SIGNED_AT_MAX_SKEW_MS of now (else
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
  assertRecent(authorization.signedAt, now);
  const statement = adminActionStatement(action, who.id, fields, authorization.signedAt);
  if (!verifyCanonicalEncoded(who.signingKey, statement, authorization.signature)) {
    throw new ProtocolError(ErrorCode.Unauthenticated, `the action is not signed by ${who.id}`);
  }
  return { id: who.id, role: who.role, organizationId: who.organizationId, status: who.status };
}
