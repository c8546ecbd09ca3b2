import { randomUUID } from 'node:crypto';

import { ErrorBodySchema, httpRoutes } from '@sec-health/protocol';
import type { SecureTestNats } from '@sec-health/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createGateway } from '../src/app/create-gateway.js';
import { loadGatewayConfig } from '../src/config.js';
import { privateNats } from './support/private-nats.js';
import { send, validInput } from './support/samples.js';
import { StandInServices } from './support/stand-in-services.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const LIMIT = 3;
let nats: SecureTestNats;
let standIn: StandInServices;
let gw: TestGateway;

beforeAll(async () => {
  nats = await privateNats();
  gw = await startTestGateway(nats, {
    GATEWAY_IP_RATE_LIMIT: '100',
    GATEWAY_AUTH_RATE_LIMIT: String(LIMIT),
    GATEWAY_REGISTER_RATE_LIMIT: String(LIMIT),
    GATEWAY_ACTOR_RATE_LIMIT: String(LIMIT),
  });
  standIn = await StandInServices.start(nats, gw.publicKey);
});

afterAll(async () => {
  await gw?.stop();
  await standIn?.stop();
  await nats?.stop();
});

const post = (path: string, body: unknown) =>
  send(`${gw.baseUrl}${path}`, 'POST', JSON.stringify(body));
const challenge = (participantId: string) => post('/v1/auth/challenge', { participantId });

function expectLimited(result: Awaited<ReturnType<typeof send>>): void {
  expect(result.status).toBe(429);
  const body = ErrorBodySchema.parse(result.body);
  expect(body.code).toBe('RATE_LIMITED');
  expect(body.requestId).toBe(result.requestId);
  expect([...result.headers.keys()].some((h) => h.startsWith('retry-after'))).toBe(true);
}

describe('rate limits: a bucket per route and per participant (issue #10 finding 5)', () => {
  it(`allows ${LIMIT} challenges a minute per participant, then 429, and others from the same address go on`, async () => {
    const ana = randomUUID();
    for (let i = 0; i < LIMIT; i++) expect((await challenge(ana)).status).toBe(200);
    expectLimited(await challenge(ana));
    // A colleague behind the same address is not locked out by Ana's bucket.
    expect((await challenge(randomUUID())).status).toBe(200);
  });

  it('counts logins apart from challenges', async () => {
    const bruno = randomUUID();
    for (let i = 0; i < LIMIT; i++) expect((await challenge(bruno)).status).toBe(200);
    expectLimited(await challenge(bruno));
    const login = await post('/v1/auth/login', {
      participantId: bruno,
      challengeId: randomUUID(),
      signature: validInput('auth.login').signature,
    });
    // Refused for the unknown challenge, not for the exhausted challenge bucket.
    expect(login.status).toBe(401);
  });

  it('limits each address on the public routes, whoever it names', async () => {
    const other = await startTestGateway(nats, {
      GATEWAY_IP_RATE_LIMIT: String(LIMIT),
      GATEWAY_AUTH_RATE_LIMIT: '1000',
    });
    try {
      const ask = () =>
        send(
          `${other.baseUrl}/v1/auth/challenge`,
          'POST',
          JSON.stringify({ participantId: randomUUID() }),
        );
      for (let i = 0; i < LIMIT; i++) expect((await ask()).status).toBe(200);
      expectLimited(await ask());
    } finally {
      await other.stop();
    }
  });

  it(`allows ${LIMIT} registrations a minute per address (issue #10 finding 4)`, async () => {
    for (let i = 0; i < LIMIT; i++) {
      expect((await post('/v1/participants', validInput('participants.register'))).status).toBe(
        200,
      );
    }
    expectLimited(await post('/v1/participants', validInput('participants.register')));
  });

  it('limits each authenticated participant on its own, and leaves /health alone', async () => {
    const token = await gw.token({ id: randomUUID(), role: 'patient', organizationId: null });
    const whoami = (t: string) =>
      send(`${gw.baseUrl}/v1/auth/whoami`, 'GET', undefined, { token: t });
    for (let i = 0; i < LIMIT; i++) expect((await whoami(token)).status).toBe(200);
    expectLimited(await whoami(token));
    const someoneElse = await gw.token({ id: randomUUID(), role: 'patient', organizationId: null });
    expect((await whoami(someoneElse)).status).toBe(200);
    for (let i = 0; i < LIMIT + 2; i++) {
      expect((await fetch(`${gw.baseUrl}/health`)).status).toBe(200);
    }
  });
});

describe('docs', () => {
  it.each(['/docs', '/docs.json'])(
    '%s serves the OpenAPI document of every route',
    async (path) => {
      const response = await fetch(`${gw.baseUrl}${path}`);
      expect(response.status).toBe(200);
      const document = (await response.json()) as {
        openapi: string;
        paths: Record<string, Record<string, unknown>>;
      };
      expect(document.openapi).toBe('3.1.0');
      for (const route of httpRoutes)
        expect(document.paths[route.path]?.[route.method]).toBeDefined();
    },
  );
});

describe('lifecycle', () => {
  it('close() stops HTTP and closes the NATS connection', async () => {
    const other = await startTestGateway(nats);
    expect((await fetch(`${other.baseUrl}/health`)).status).toBe(200);
    await other.stop();
    expect(other.gateway.nats.isClosed()).toBe(true);
    await expect(fetch(`${other.baseUrl}/health`)).rejects.toThrow();
  });

  it('fails to start with a clear error when NATS does not answer', async () => {
    const config = loadGatewayConfig({
      ...nats.envFor('gateway'),
      NATS_URL: 'nats://127.0.0.1:1',
      GATEWAY_SIGNING_KEY_FILE: gw.keyFile,
      LOG_LEVEL: 'silent',
    });
    await expect(createGateway(config)).rejects.toThrow();
  });

  it('refuses to start on NATS without its credentials', async () => {
    const config = loadGatewayConfig({
      NATS_URL: nats.url,
      GATEWAY_SIGNING_KEY_FILE: gw.keyFile,
      LOG_LEVEL: 'silent',
    });
    await expect(createGateway(config)).rejects.toThrow(/Authorization Violation|authorization/i);
  });
});
