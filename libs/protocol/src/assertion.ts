import { z } from 'zod';

import { Role, Uuid } from './primitives.js';

/**
 * The actor assertion: a compact JWS (JWT) signed with EdDSA (Ed25519) by the gateway, sent in
 * the `x-actor-assertion` header of every request to a service. A service verifies it with the
 * gateway's public key, never a shared secret, and checks that it was made for this very request:
 * its audience is the NATS subject, `bh` the SHA-256 of the request body's canonical JSON, and
 * it expires within seconds. Without `sub` the request is anonymous (registration, or the gateway
 * looking up a participant to log them in, `via: 'login'`).
 */
export const ACTOR_ASSERTION_ISSUER = 'sec-health-gateway';
export const ACTOR_ASSERTION_TYPE = 'sec-health-actor+jwt';
/** How long an assertion is valid: one request's round trip, with room for clock skew. */
export const ACTOR_ASSERTION_LIFETIME_SECONDS = 30;

export const ActorAssertionClaims = z.object({
  iss: z.literal(ACTOR_ASSERTION_ISSUER),
  /** The NATS subject the request is sent to. */
  aud: z.string().min(1).max(200),
  iat: z.number().int().nonnegative(),
  exp: z.number().int().positive(),
  /** The request id. */
  jti: z.string().min(1).max(128),
  /** base64url SHA-256 of the RFC 8785 canonical JSON of the request body. */
  bh: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  sub: Uuid.optional(),
  role: Role.optional(),
  org: Uuid.nullable().optional(),
  /** The key version the actor logged in with: a token from before a key rotation is refused. */
  kv: z.number().int().positive().optional(),
  /** Why an anonymous request is made by the gateway itself. */
  via: z.enum(['login']).optional(),
});
export type ActorAssertionClaims = z.infer<typeof ActorAssertionClaims>;
