import { randomUUID } from 'node:crypto';

import { ErrorBodySchema, httpRoutes } from '@sec-health/protocol';
import type { TestNats } from '@sec-health/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createGateway } from '../src/app/create-gateway.js';
import { loadGatewayConfig } from '../src/config/gateway-config.js';
import { privateNats } from './support/private-nats.js';
import { send } from './support/samples.js';
import { StandInAuthority } from './support/stand-in-authority.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const LIMIT = 3;
let nats: TestNats;
let standIn: StandInAuthority;
let gw: TestGateway;

beforeAll(async () => {
  nats = await privateNats();
  standIn = await StandInAuthority.start(nats.url);
  gw = await startTestGateway(nats.url, { GATEWAY_AUTH_RATE_LIMIT: String(LIMIT) });
});

afterAll(async () => {
  await gw?.stop();
  await standIn?.stop();
  await nats?.stop();
});

describe('rate limit on the auth routes', () => {
  it(`allows ${LIMIT} challenges a minute per IP, then 429 with a typed body`, async () => {
    const challenge = () =>
      send(
        `${gw.baseUrl}/v1/auth/challenge`,
        'POST',
        JSON.stringify({ participantId: randomUUID() }),
      );
    for (let i = 0; i < LIMIT; i++) expect((await challenge()).status).toBe(200);
    const limited = await challenge();
    expect(limited.status).toBe(429);
    const body = ErrorBodySchema.parse(limited.body);
    expect(body.code).toBe('RATE_LIMITED');
    expect(body.requestId).toBe(limited.requestId);
    expect(limited.headers.get('retry-after')).not.toBeNull();
  });

  it('does not limit the other routes', async () => {
    const token = await gw.token({ id: randomUUID(), role: 'patient', organizationId: null });
    for (let i = 0; i < LIMIT + 2; i++) {
      const result = await send(`${gw.baseUrl}/v1/auth/whoami`, 'GET', undefined, { token });
      expect(result.status).toBe(200);
    }
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
    const other = await startTestGateway(nats.url);
    expect((await fetch(`${other.baseUrl}/health`)).status).toBe(200);
    await other.stop();
    expect(other.gateway.nats.isClosed()).toBe(true);
    await expect(fetch(`${other.baseUrl}/health`)).rejects.toThrow();
  });

  it('fails to start with a clear error when NATS does not answer', async () => {
    const config = loadGatewayConfig({
      NATS_URL: 'nats://127.0.0.1:1',
      GATEWAY_LOG_LEVEL: 'silent',
    });
    await expect(createGateway(config)).rejects.toThrow();
  });
});
