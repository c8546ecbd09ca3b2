import { z } from 'zod';

import { IsoTime, Signature64 } from './primitives.js';

export type AdminAction = 'organizations.create' | 'participants.approve' | 'participants.revoke';

/**
 * Administrative actions (organization create, participant approve and revoke) carry the acting
 * user's own Ed25519 signature over `adminActionStatement` (statements.ts), verified by the
 * authority against the actor's signing key.
 */
export const ActionAuthorization = z
  .strictObject({
    signedAt: IsoTime,
    signature: Signature64.meta({
      description: 'Ed25519 by the actor over adminActionStatement (RFC 8785 canonical JSON)',
    }),
  })
  .meta({ id: 'ActionAuthorization' });
export type ActionAuthorization = z.infer<typeof ActionAuthorization>;
