import { z } from 'zod';

import { IsoTime, Role, Signature64, Uuid } from './primitives.js';

export const ChallengeRequest = z
  .strictObject({ participantId: Uuid })
  .meta({ id: 'ChallengeRequest' });
export type ChallengeRequest = z.infer<typeof ChallengeRequest>;

export const Challenge = z
  .strictObject({
    challengeId: Uuid,
    nonce: z.string().min(16).max(128),
    expiresAt: IsoTime,
  })
  .meta({
    id: 'Challenge',
    description:
      'Sign loginStatement {purpose, participantId, challengeId, nonce} (RFC 8785) with Ed25519',
  });
export type Challenge = z.infer<typeof Challenge>;

export const LoginRequest = z
  .strictObject({ participantId: Uuid, challengeId: Uuid, signature: Signature64 })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const Session = z
  .strictObject({
    token: z.string(),
    expiresAt: IsoTime,
    participantId: Uuid,
    role: Role,
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof Session>;

export const WhoAmI = z
  .strictObject({ participantId: Uuid, role: Role, organizationId: Uuid.nullable() })
  .meta({ id: 'WhoAmI' });
export type WhoAmI = z.infer<typeof WhoAmI>;
