import { toBase64Url } from '@sec-health/crypto';
import { ErrorCode, ProtocolError, Role, Uuid } from '@sec-health/protocol';
import { z, type Actor } from '@sec-health/service-kit';
import { importJWK, jwtVerify, SignJWT, type CryptoKey } from 'jose';

import type { GatewaySigningKey } from './signing-key.js';

export const TOKEN_LIFETIME_SECONDS = 15 * 60;
export const SESSION_TOKEN_TYPE = 'sec-health-session+jwt';
const ISSUER = 'sec-health-gateway';
const AUDIENCE = 'sec-health-api';
const CLOCK_TOLERANCE_SECONDS = 5;

const SessionClaims = z.object({
  sub: Uuid,
  role: Role,
  org: Uuid.nullable(),
  kv: z.number().int().positive(),
  iat: z.number().int(),
  exp: z.number().int(),
});

/**
 * The gateway's session tokens: EdDSA-signed JWTs of 15 minutes carrying the participant, role,
 * organization and the key version they logged in with. Verification pins the algorithm, type,
 * issuer and audience, requires `iat` and `exp`, and refuses a lifetime beyond 15 minutes.
 */
export class TokenService {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
  ) {}

  static async create(key: GatewaySigningKey): Promise<TokenService> {
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: key.publicKey };
    const privateKey = await importJWK({ ...jwk, d: toBase64Url(key.seed) }, 'EdDSA');
    const publicKey = await importJWK(jwk, 'EdDSA');
    return new TokenService(privateKey as CryptoKey, publicKey as CryptoKey);
  }

  async issue(actor: Actor): Promise<{ token: string; expiresAt: Date }> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + TOKEN_LIFETIME_SECONDS;
    const token = await new SignJWT({
      role: actor.role,
      org: actor.organizationId,
      kv: actor.keyVersion,
    })
      .setProtectedHeader({ alg: 'EdDSA', typ: SESSION_TOKEN_TYPE })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(actor.id)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.privateKey);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The actor of an `Authorization: Bearer` header; undefined when there is none. */
  async authenticate(authorization: string | undefined): Promise<Actor | undefined> {
    if (authorization === undefined || authorization === '') return undefined;
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorization);
    if (!match) throw unauthenticated('the Authorization header must be "Bearer <token>"');
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(match[1]!, this.publicKey, {
        algorithms: ['EdDSA'],
        typ: SESSION_TOKEN_TYPE,
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'iat', 'exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw unauthenticated(expired ? 'the token has expired' : 'the token is invalid');
    }
    const claims = SessionClaims.safeParse(payload);
    if (!claims.success) throw unauthenticated('the token is invalid');
    const { sub, role, org, kv, iat, exp } = claims.data;
    if (exp - iat > TOKEN_LIFETIME_SECONDS || iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) {
      throw unauthenticated('the token is invalid: its lifetime exceeds the maximum');
    }
    return { id: sub, role, organizationId: org, keyVersion: kv };
  }
}

function unauthenticated(message: string): ProtocolError {
  return new ProtocolError(ErrorCode.Unauthenticated, message);
}
