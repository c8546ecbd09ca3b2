import { JwtService } from '@nestjs/jwt';
import { ErrorCode, ProtocolError, Role, Uuid } from '@sec-health/protocol';

import type { Actor } from './actor.js';

export const TOKEN_LIFETIME_SECONDS = 15 * 60;

interface Claims {
  readonly sub: string;
  readonly role: string;
  readonly org: string | null;
}

/** Issues and checks the gateway's short-lived HS256 session tokens. */
export class TokenService {
  private readonly jwt: JwtService;

  constructor(secret: string) {
    this.jwt = new JwtService({
      secret,
      signOptions: { algorithm: 'HS256', expiresIn: TOKEN_LIFETIME_SECONDS },
      // Pinning the algorithm refuses `alg: none` and algorithm-confusion tokens.
      verifyOptions: { algorithms: ['HS256'] },
    });
  }

  async issue(actor: Actor): Promise<{ token: string; expiresAt: Date }> {
    const claims: Claims = { sub: actor.id, role: actor.role, org: actor.organizationId };
    const token = await this.jwt.signAsync(claims);
    const { exp } = this.jwt.decode<{ exp: number }>(token);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The actor of an `Authorization: Bearer` header; undefined when there is none. */
  async authenticate(authorization: string | undefined): Promise<Actor | undefined> {
    if (authorization === undefined || authorization === '') return undefined;
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorization);
    if (!match) throw unauthenticated('the Authorization header must be "Bearer <token>"');
    let claims: Partial<Claims>;
    try {
      claims = await this.jwt.verifyAsync<Claims>(match[1]!);
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw unauthenticated(expired ? 'the token has expired' : 'the token is invalid');
    }
    const role = Role.safeParse(claims.role);
    const org = claims.org ?? null;
    if (
      !Uuid.safeParse(claims.sub).success ||
      !role.success ||
      (org !== null && !Uuid.safeParse(org).success)
    ) {
      throw unauthenticated('the token is invalid');
    }
    return { id: claims.sub!, role: role.data, organizationId: org };
  }
}

function unauthenticated(message: string): ProtocolError {
  return new ProtocolError(ErrorCode.Unauthenticated, message);
}
