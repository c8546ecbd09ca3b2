import { randomUUID } from 'node:crypto';

import { generateSigningKeyPair, signCanonical, toBase64Url } from '@sec-health/crypto';
import {
  Challenge,
  ErrorBodySchema,
  errorReply,
  loginStatement,
  okReply,
  ProtocolError,
  Session,
  type DirectoryEntry,
  type ParticipantStatus,
  type Role,
} from '@sec-health/protocol';
import type { SecureTestNats } from '@sec-health/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TOKEN_LIFETIME_SECONDS } from '../src/auth/token.service.js';
import { privateNats } from './support/private-nats.js';
import { b64, send } from './support/samples.js';
import { sampleOutput } from './support/sample-outputs.js';
import { StandInServices } from './support/stand-in-services.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

interface Someone {
  readonly id: string;
  readonly role: Role;
  readonly organizationId: string | null;
  readonly keys: ReturnType<typeof generateSigningKeyPair>;
  status: ParticipantStatus;
  keyVersion: number;
}

let nats: SecureTestNats;
let standIn: StandInServices;
let gw: TestGateway;
const directory = new Map<string, Someone>();

function entryOf(p: Someone): DirectoryEntry {
  return {
    id: p.id,
    role: p.role,
    kind: null,
    organizationId: p.organizationId,
    status: p.status,
    keys: { signing: toBase64Url(p.keys.publicKey), encryption: b64(32) },
    keyVersion: p.keyVersion,
    participantRef: `0x${'ab'.repeat(32)}`,
    attestation: null,
  };
}

function someone(status: ParticipantStatus, role: Role = 'collaborator'): Someone {
  const p = {
    id: randomUUID(),
    role,
    organizationId: randomUUID(),
    keys: generateSigningKeyPair(),
    status,
    keyVersion: 1,
  };
  directory.set(p.id, p);
  return p;
}

beforeAll(async () => {
  nats = await privateNats();
  // No status cache, so a revocation shows on the next request.
  gw = await startTestGateway(nats, { GATEWAY_ACTOR_STATUS_CACHE_MS: '0' });
  standIn = await StandInServices.start(nats, gw.publicKey);
  standIn.respond = ({ subject, payload }) => {
    if (subject !== 'authority.directory.get') return okReply(sampleOutput(subject));
    const found = directory.get((payload as { participantId: string }).participantId);
    return found
      ? okReply(entryOf(found))
      : errorReply(new ProtocolError('NOT_FOUND', 'no such participant'));
  };
  standIn.status = ({ caller }) => {
    const found = directory.get(caller!.actor!.id);
    return found
      ? okReply(entryOf(found))
      : errorReply(new ProtocolError('NOT_FOUND', 'no such participant'));
  };
});

afterAll(async () => {
  await gw?.stop();
  await standIn?.stop();
  await nats?.stop();
});

const post = (path: string, body: unknown, requestId?: string) =>
  send(`${gw.baseUrl}${path}`, 'POST', JSON.stringify(body), requestId ? { requestId } : {});

async function challengeFor(participantId: string): Promise<Challenge> {
  const result = await post('/v1/auth/challenge', { participantId });
  expect(result.status).toBe(200);
  return Challenge.parse(result.body);
}

function sign(p: Someone, challenge: Challenge, secretKey = p.keys.secretKey): string {
  const statement = loginStatement({
    participantId: p.id,
    challengeId: challenge.challengeId,
    nonce: challenge.nonce,
  });
  return toBase64Url(signCanonical(secretKey, statement));
}

async function login(p: Someone, challenge: Challenge, signature = sign(p, challenge)) {
  return post('/v1/auth/login', {
    participantId: p.id,
    challengeId: challenge.challengeId,
    signature,
  });
}

function expectError(result: { status: number; body: unknown }, status: number, code: string) {
  expect(result.status).toBe(status);
  expect(ErrorBodySchema.parse(result.body).code).toBe(code);
}

describe('challenge-response login', () => {
  it('an active participant logs in and the token says who it is', async () => {
    const p = someone('active');
    const challenge = await challengeFor(p.id);
    const requestId = `login-${randomUUID()}`;
    const result = await post(
      '/v1/auth/login',
      { participantId: p.id, challengeId: challenge.challengeId, signature: sign(p, challenge) },
      requestId,
    );
    expect(result.status).toBe(200);
    expect(result.headers.get('cache-control')).toBe('no-store');
    const session = Session.parse(result.body);
    expect(session).toMatchObject({ participantId: p.id, role: p.role });
    const lifetime = (Date.parse(session.expiresAt) - Date.now()) / 1000;
    expect(lifetime).toBeGreaterThan(TOKEN_LIFETIME_SECONDS - 30);
    expect(lifetime).toBeLessThanOrEqual(TOKEN_LIFETIME_SECONDS);

    const [lookup] = standIn.withRequestId(requestId);
    expect(lookup).toMatchObject({
      subject: 'authority.directory.get',
      payload: { participantId: p.id },
    });
    // The gateway asks for itself, saying why, with no actor.
    expect(lookup!.caller).toEqual({ actor: undefined, via: 'login' });

    const whoami = await send(`${gw.baseUrl}/v1/auth/whoami`, 'GET', undefined, {
      token: session.token,
    });
    expect(whoami.status).toBe(200);
    expect(whoami.body).toEqual({
      participantId: p.id,
      role: p.role,
      organizationId: p.organizationId,
    });

    // The token's actor travels to the services.
    const forwardId = `fwd-${randomUUID()}`;
    await send(`${gw.baseUrl}/v1/directory/${randomUUID()}`, 'GET', undefined, {
      token: session.token,
      requestId: forwardId,
    });
    expect(standIn.withRequestId(forwardId)[0]!.caller).toEqual({
      actor: { id: p.id, role: p.role, organizationId: p.organizationId, keyVersion: 1 },
      via: undefined,
    });
  });

  it('a challenge is single use, even after a successful login', async () => {
    const p = someone('active');
    const challenge = await challengeFor(p.id);
    expect((await login(p, challenge)).status).toBe(200);
    expectError(await login(p, challenge), 401, 'UNAUTHENTICATED');
  });

  it('a failed attempt spends the challenge', async () => {
    const p = someone('active');
    const challenge = await challengeFor(p.id);
    expectError(await login(p, challenge, b64(64)), 401, 'UNAUTHENTICATED');
    expectError(await login(p, challenge), 401, 'UNAUTHENTICATED');
  });

  it('a signature by another key is refused', async () => {
    const p = someone('active');
    const challenge = await challengeFor(p.id);
    const other = generateSigningKeyPair();
    expectError(
      await login(p, challenge, sign(p, challenge, other.secretKey)),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('a signature over another nonce is refused', async () => {
    const p = someone('active');
    const challenge = await challengeFor(p.id);
    const forged = sign(p, { ...challenge, nonce: b64(32) });
    expectError(await login(p, challenge, forged), 401, 'UNAUTHENTICATED');
  });

  it("someone else's challenge is refused", async () => {
    const p = someone('active');
    const q = someone('active');
    const challenge = await challengeFor(q.id);
    expectError(await login(p, challenge), 401, 'UNAUTHENTICATED');
  });

  it('a revoked participant cannot log in', async () => {
    const p = someone('revoked');
    expectError(await login(p, await challengeFor(p.id)), 403, 'FORBIDDEN');
  });

  it('a pending participant cannot log in', async () => {
    const p = someone('pending');
    expectError(await login(p, await challengeFor(p.id)), 403, 'FORBIDDEN');
  });

  it('a participant revoked after logging in loses its session and cannot log in again', async () => {
    const p = someone('active', 'attendant');
    const { token } = Session.parse((await login(p, await challengeFor(p.id))).body);
    const whoami = () => send(`${gw.baseUrl}/v1/auth/whoami`, 'GET', undefined, { token });
    expect((await whoami()).status).toBe(200);
    p.status = 'revoked';
    expectError(await whoami(), 401, 'UNAUTHENTICATED');
    expectError(await login(p, await challengeFor(p.id)), 403, 'FORBIDDEN');
  });

  it('a token from before a key rotation is refused (issue #10 finding 1)', async () => {
    const p = someone('active', 'org-admin');
    const { token } = Session.parse((await login(p, await challengeFor(p.id))).body);
    const whoami = () => send(`${gw.baseUrl}/v1/auth/whoami`, 'GET', undefined, { token });
    expect((await whoami()).status).toBe(200);
    p.keyVersion = 2;
    expectError(await whoami(), 401, 'UNAUTHENTICATED');
  });

  it('a token whose role no longer matches the directory is refused', async () => {
    const p = someone('active', 'org-admin');
    const { token } = Session.parse((await login(p, await challengeFor(p.id))).body);
    directory.set(p.id, { ...p, role: 'collaborator' });
    const result = await send(`${gw.baseUrl}/v1/auth/whoami`, 'GET', undefined, { token });
    expectError(result, 401, 'UNAUTHENTICATED');
  });

  it('an unknown participant fails like a bad signature (no enumeration)', async () => {
    const ghost: Someone = {
      id: randomUUID(),
      role: 'patient',
      organizationId: null,
      keys: generateSigningKeyPair(),
      status: 'active',
      keyVersion: 1,
    };
    const result = await login(ghost, await challengeFor(ghost.id));
    expectError(result, 401, 'UNAUTHENTICATED');
    expect(ErrorBodySchema.parse(result.body).message).toBe('the login signature does not verify');
  });

  it('a malformed directory entry from the authority is a 503, not a login', async () => {
    const p = someone('active');
    const previous = standIn.respond;
    standIn.respond = () => okReply({ id: p.id, status: 'active' });
    try {
      expectError(await login(p, await challengeFor(p.id)), 503, 'DEPENDENCY_UNAVAILABLE');
    } finally {
      standIn.respond = previous;
    }
  });

  it('no log line holds a token, a signature or a nonce', async () => {
    const p = someone('active');
    const challenge = await challengeFor(p.id);
    const signature = sign(p, challenge);
    const result = await login(p, challenge, signature);
    const { token } = Session.parse(result.body);
    const all = gw.rawLogs.join('\n');
    for (const secret of [token, signature, challenge.nonce]) expect(all).not.toContain(secret);
  });
});
