import { generateSigningKeyPair, toBase64Url } from '@sec-health/crypto';
import { ACTOR_ASSERTION_ISSUER, ACTOR_ASSERTION_TYPE } from '@sec-health/protocol';
import { importJWK, SignJWT, UnsecuredJWT, type CryptoKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';

import { ActorAssertionSigner, ActorAssertionVerifier, bodyHash } from './actor-assertion.js';

const SUBJECT = 'authority.participant.get';
const BODY = { participantId: '0190f5a0-0000-7000-8000-000000000002' };
const ACTOR = {
  id: '0190f5a0-0000-7000-8000-000000000001',
  role: 'org-admin',
  organizationId: '0190f5a0-0000-7000-8000-0000000000aa',
  keyVersion: 3,
} as const;

let seed: Uint8Array;
let publicKey: string;
let key: CryptoKey;
let verifier: ActorAssertionVerifier;

beforeAll(async () => {
  const keys = generateSigningKeyPair();
  seed = keys.secretKey;
  publicKey = toBase64Url(keys.publicKey);
  key = await importJWK(
    { kty: 'OKP', crv: 'Ed25519', d: toBase64Url(seed), x: publicKey },
    'EdDSA',
  );
  verifier = await ActorAssertionVerifier.fromPublicKey(publicKey);
});

/** A token like the gateway's, with `change` applied: how an attacker would try to vary it. */
function craft(
  change: (jwt: SignJWT) => SignJWT,
  claims: Record<string, unknown> = {},
  typ = ACTOR_ASSERTION_TYPE,
) {
  const jwt = new SignJWT({
    bh: bodyHash(BODY),
    role: ACTOR.role,
    org: ACTOR.organizationId,
    kv: 3,
    ...claims,
  })
    .setProtectedHeader({ alg: 'EdDSA', typ })
    .setIssuer(ACTOR_ASSERTION_ISSUER)
    .setAudience(SUBJECT)
    .setJti('req')
    .setSubject(ACTOR.id)
    .setIssuedAt()
    .setExpirationTime('30s');
  return change(jwt).sign(key);
}

describe('actor assertions', () => {
  it('round-trips the actor, and an anonymous or login lookup', async () => {
    const signer = await ActorAssertionSigner.fromSeed(seed);
    const token = await signer.sign({ subject: SUBJECT, body: BODY, requestId: 'r', actor: ACTOR });
    expect(await verifier.verify(token, SUBJECT, BODY)).toEqual({ actor: ACTOR, via: undefined });
    const login = await signer.sign({ subject: SUBJECT, body: BODY, requestId: 'r', via: 'login' });
    expect(await verifier.verify(login, SUBJECT, BODY)).toEqual({ actor: undefined, via: 'login' });
  });

  it('binds the body by its canonical JSON, whatever the key order', async () => {
    const signer = await ActorAssertionSigner.fromSeed(seed);
    const body = { b: 1, a: { y: 2, x: 'é' } };
    const token = await signer.sign({ subject: SUBJECT, body, requestId: 'r', actor: ACTOR });
    await expect(
      verifier.verify(token, SUBJECT, { a: { x: 'é', y: 2 }, b: 1 }),
    ).resolves.toBeDefined();
    await expect(verifier.verify(token, SUBJECT, { a: { x: 'é', y: 3 }, b: 1 })).rejects.toThrow(
      'another body',
    );
  });

  it.each([
    [
      'expired',
      (jwt: SignJWT) =>
        jwt
          .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
          .setExpirationTime(Math.floor(Date.now() / 1000) - 60),
    ],
    [
      'issued too long ago to be one request',
      (jwt: SignJWT) =>
        jwt.setIssuedAt(Math.floor(Date.now() / 1000) - 600).setExpirationTime('1h'),
    ],
    ['for another audience', (jwt: SignJWT) => jwt.setAudience('storage.record.get')],
    ['from another issuer', (jwt: SignJWT) => jwt.setIssuer('someone-else')],
  ])('refuses one %s', async (_what, change) => {
    await expect(verifier.verify(await craft(change), SUBJECT, BODY)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses a token of another type (a session token)', async () => {
    const session = await craft((jwt) => jwt, {}, 'sec-health-session+jwt');
    await expect(verifier.verify(session, SUBJECT, BODY)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses a token without expiry, an alg:none token, and malformed claims', async () => {
    const noExp = await new SignJWT({ bh: bodyHash(BODY), role: 'authority', kv: 1 })
      .setProtectedHeader({ alg: 'EdDSA', typ: ACTOR_ASSERTION_TYPE })
      .setIssuer(ACTOR_ASSERTION_ISSUER)
      .setAudience(SUBJECT)
      .setJti('r')
      .setSubject(ACTOR.id)
      .setIssuedAt()
      .sign(key);
    await expect(verifier.verify(noExp, SUBJECT, BODY)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const none = new UnsecuredJWT({ bh: bodyHash(BODY), role: 'authority', kv: 1 })
      .setIssuer(ACTOR_ASSERTION_ISSUER)
      .setAudience(SUBJECT)
      .setSubject(ACTOR.id)
      .setIssuedAt()
      .setExpirationTime('30s')
      .encode();
    await expect(verifier.verify(none, SUBJECT, BODY)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const badRole = await craft((jwt) => jwt, { role: 'superuser' });
    await expect(verifier.verify(badRole, SUBJECT, BODY)).rejects.toThrow('malformed');
    const noKeyVersion = await craft((jwt) => jwt, { kv: undefined });
    await expect(verifier.verify(noKeyVersion, SUBJECT, BODY)).rejects.toThrow('malformed');
  });
});
