import { z } from 'zod';

import { IsoTime, Signature64 } from './primitives.js';

/**
 * Administrative actions (organization create, participant approve and revoke) carry the acting
 * user's own Ed25519 signature, verified by the authority against the actor's signing key.
 */
export const ADMIN_ACTION_PURPOSE = 'sec-health/admin-action/v1';

/** How far `signedAt` may be from the verifier's clock, either way. */
export const ADMIN_ACTION_MAX_SKEW_MS = 5 * 60_000;

export type AdminAction = 'organizations.create' | 'participants.approve' | 'participants.revoke';

export const ActionAuthorization = z
  .strictObject({
    signedAt: IsoTime,
    signature: Signature64.meta({
      description: 'Ed25519 by the actor over adminActionStatement (RFC 8785 canonical JSON)',
    }),
  })
  .meta({ id: 'ActionAuthorization' });
export type ActionAuthorization = z.infer<typeof ActionAuthorization>;

/**
 * What the actor signs (RFC 8785 canonical JSON): `{ purpose, action, actorId, signedAt,
 * ...fields }`, where `fields` are the request's own fields without `authorization`:
 * `{ name }` (organizations.create), `{ participantId }` (approve), `{ participantId, reason }`
 * (revoke), as parsed (so trimmed).
 */
export function adminActionStatement(
  action: AdminAction,
  actorId: string,
  fields: Record<string, string>,
  signedAt: string,
): Record<string, string> {
  return { purpose: ADMIN_ACTION_PURPOSE, action, actorId, signedAt, ...fields };
}
