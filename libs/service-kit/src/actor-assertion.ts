import {
  canonicalJsonBytes,
  fromBase64Url,
  sha256,
  signingPublicKey,
  toBase64Url,
} from '@sec-health/crypto';
import {
  ACTOR_ASSERTION_ISSUER,
  ACTOR_ASSERTION_LIFETIME_SECONDS,
  ACTOR_ASSERTION_TYPE,
  ActorAssertionClaims,
  ErrorCode,
  ProtocolError,
} from '@sec-health/protocol';
import { importJWK, jwtVerify, SignJWT, type CryptoKey } from 'jose';

import type { Actor } from './actor.js';

/** What a verified assertion says about the caller. */
export interface AssertedCaller {
  readonly actor: Actor | undefined;
  /** Set when the gateway itself asks for an anonymous caller (e.g. to log someone in). */
  readonly via: 'login' | undefined;
}

/** How far clocks may disagree between the gateway and a service. */
const CLOCK_TOLERANCE_SECONDS = 5;

/** base64url SHA-256 of the request body's RFC 8785 canonical JSON (undefined: an empty body). */
export function bodyHash(body: unknown): string {
  const bytes = body === undefined ? new Uint8Array() : canonicalJsonBytes(body);
  return toBase64Url(sha256(bytes));
}

/** The gateway's side: signs one assertion per request with its Ed25519 key. */
export class ActorAssertionSigner {
  private constructor(private readonly key: CryptoKey) {}

  /** `seed`: the gateway's 32-byte Ed25519 private key. */
  static async fromSeed(seed: Uint8Array): Promise<ActorAssertionSigner> {
    const x = toBase64Url(signingPublicKey(seed));
    const key = await importJWK(
      { kty: 'OKP', crv: 'Ed25519', d: toBase64Url(seed), x, alg: 'EdDSA' },
      'EdDSA',
    );
    return new ActorAssertionSigner(key);
  }

  sign(request: {
    subject: string;
    body: unknown;
    requestId: string;
    actor?: Actor;
    via?: 'login';
  }): Promise<string> {
    const { actor } = request;
    const jwt = new SignJWT({
      bh: bodyHash(request.body),
      ...(actor
        ? { role: actor.role, org: actor.organizationId, kv: actor.keyVersion }
        : request.via
          ? { via: request.via }
          : {}),
    })
      .setProtectedHeader({ alg: 'EdDSA', typ: ACTOR_ASSERTION_TYPE })
      .setIssuer(ACTOR_ASSERTION_ISSUER)
      .setAudience(request.subject)
      .setJti(request.requestId)
      .setIssuedAt()
      .setExpirationTime(`${ACTOR_ASSERTION_LIFETIME_SECONDS}s`);
    if (actor) jwt.setSubject(actor.id);
    return jwt.sign(this.key);
  }
}

/**
 * A service's side: the assertion must be signed by the gateway's key (EdDSA only), of our type,
 * made for this subject and this very body, unexpired, and well formed. Anything else is
 * UNAUTHENTICATED, whatever else the request says.
 */
export class ActorAssertionVerifier {
  private constructor(private readonly key: CryptoKey) {}

  /** `publicKey`: the gateway's Ed25519 public key, base64url (GATEWAY_PUBLIC_KEY). */
  static async fromPublicKey(publicKey: string): Promise<ActorAssertionVerifier> {
    fromBase64Url('GATEWAY_PUBLIC_KEY', publicKey);
    const key = await importJWK({ kty: 'OKP', crv: 'Ed25519', x: publicKey }, 'EdDSA');
    return new ActorAssertionVerifier(key);
  }

  async verify(token: string | undefined, subject: string, body: unknown): Promise<AssertedCaller> {
    if (!token) throw refused('the request carries no gateway assertion');
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: ['EdDSA'],
        typ: ACTOR_ASSERTION_TYPE,
        issuer: ACTOR_ASSERTION_ISSUER,
        audience: subject,
        requiredClaims: ['iat', 'exp', 'jti'],
        maxTokenAge: ACTOR_ASSERTION_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch {
      throw refused('the gateway assertion is invalid, expired or not for this request');
    }
    const claims = ActorAssertionClaims.safeParse(payload);
    if (!claims.success) throw refused('the gateway assertion is malformed');
    let hash: string;
    try {
      hash = bodyHash(body);
    } catch {
      throw refused('the request body cannot be bound to the gateway assertion');
    }
    if (claims.data.bh !== hash) throw refused('the gateway assertion was made for another body');
    const { sub, role, org, kv, via } = claims.data;
    if (sub === undefined) return { actor: undefined, via };
    if (role === undefined || kv === undefined) throw refused('the gateway assertion is malformed');
    return {
      actor: { id: sub, role, organizationId: org ?? null, keyVersion: kv },
      via: undefined,
    };
  }
}

function refused(message: string): ProtocolError {
  return new ProtocolError(ErrorCode.Unauthenticated, message);
}
