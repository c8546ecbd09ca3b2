import { randomUUID } from 'node:crypto';

import {
  ErrorBodySchema,
  errorReply,
  okReply,
  ProtocolError,
  SERVICE_NAMES,
} from '@sec-health/protocol';
import type { SecureTestNats } from '@sec-health/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { privateNats } from './support/private-nats.js';
import { callRoute, routeById, validInput } from './support/samples.js';
import { sampleOutput } from './support/sample-outputs.js';
import { StandInServices } from './support/stand-in-services.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const TIMEOUT_MS = 300;
let nats: SecureTestNats;
let standIn: StandInServices;
let gw: TestGateway;
let token: string;
const actor = {
  id: randomUUID(),
  role: 'authority' as const,
  organizationId: randomUUID(),
  keyVersion: 1,
};
const route = routeById('directory.get');

beforeAll(async () => {
  nats = await privateNats();
  gw = await startTestGateway(nats, { GATEWAY_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) });
  standIn = await StandInServices.start(nats, gw.publicKey);
  token = await gw.token(actor);
});

afterAll(async () => {
  await gw?.stop();
  await standIn?.stop();
  await nats?.stop();
});

function answering(respond: StandInServices['respond']) {
  const previous = standIn.respond;
  standIn.respond = respond;
  return () => {
    standIn.respond = previous;
  };
}

describe('request id', () => {
  it("keeps the client's well-formed id: response header, NATS header, every log line", async () => {
    const requestId = `client-${randomUUID()}`;
    const result = await callRoute(gw.baseUrl, route, validInput('directory.get'), {
      token,
      requestId,
    });
    expect(result.status).toBe(200);
    expect(result.requestId).toBe(requestId);
    const [received] = standIn.withRequestId(requestId);
    expect(received!.headers['x-request-id']).toBe(requestId);
    expect(received!.caller).toEqual({ actor, via: undefined });
    const lines = gw.rawLogs.filter((l) => l.includes(requestId));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.split(`"requestId":"${requestId}"`)).toHaveLength(2);
  });

  it.each([
    ['too short', 'abc'],
    ['with spaces', 'has spaces in it'],
    ['too long', 'x'.repeat(200)],
    ['with a quote', 'abcdefgh"ij'],
  ])('replaces a malformed client id (%s) with a UUID, everywhere', async (_name, bad) => {
    const before = standIn.received.length;
    const result = await callRoute(gw.baseUrl, route, validInput('directory.get'), {
      token,
      requestId: bad,
    });
    expect(result.status).toBe(200);
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const received = standIn.received.slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]!.headers['x-request-id']).toBe(result.requestId);
  });

  it('generates one when the client sends none', async () => {
    const result = await callRoute(gw.baseUrl, route, validInput('directory.get'), { token });
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(standIn.withRequestId(result.requestId!)).toHaveLength(1);
  });

  it('forwards the validated input, not the raw one', async () => {
    const requestId = `input-${randomUUID()}`;
    await callRoute(
      gw.baseUrl,
      routeById('participants.search'),
      { role: 'patient' },
      {
        token,
        requestId,
      },
    );
    expect(standIn.withRequestId(requestId)[0]!.payload).toEqual({ role: 'patient', limit: 50 });
  });
});

describe('replies and failures', () => {
  it.each([
    ['NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['FORBIDDEN', 403],
    ['VALIDATION_FAILED', 400],
    ['INTERNAL', 500],
  ] as const)('a service error %s becomes HTTP %i with its body', async (code, status) => {
    const restore = answering(() =>
      errorReply(new ProtocolError(code, `stand-in says ${code}`, { why: 'test' })),
    );
    try {
      const requestId = `err-${randomUUID()}`;
      const result = await callRoute(gw.baseUrl, route, validInput('directory.get'), {
        token,
        requestId,
      });
      expect(result.status).toBe(status);
      expect(ErrorBodySchema.parse(result.body)).toEqual({
        code,
        message: `stand-in says ${code}`,
        details: { why: 'test' },
        requestId,
      });
    } finally {
      restore();
    }
  });

  it('a service that does not answer in time → 503', async () => {
    const restore = answering(() => 'silent');
    try {
      const started = Date.now();
      const requestId = `slow-${randomUUID()}`;
      const result = await callRoute(gw.baseUrl, route, validInput('directory.get'), {
        token,
        requestId,
      });
      expect(result.status).toBe(503);
      expect(ErrorBodySchema.parse(result.body)).toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
        message: `authority is unavailable: no answer within ${TIMEOUT_MS} ms`,
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
      const lines = gw.rawLogs.filter((l) => l.includes(requestId));
      expect(lines.some((l) => l.includes('"statusCode":503'))).toBe(true);
      expect(lines.filter((l) => l.includes('"stack"'))).toEqual([]);
    } finally {
      restore();
    }
  });

  it.each([
    [
      "Nest's packet wrapper instead of a bare reply",
      { id: '1', response: okReply(sampleOutput('authority.directory.get')), isDisposed: true },
    ],
    ['a reply whose data breaks the contract', okReply({ id: randomUUID(), status: 'active' })],
    ['an error reply with an unknown code', { ok: false, error: { code: 'TEAPOT', message: 'x' } }],
  ] as const)('a service that answers %s → 503, nothing passed on', async (_name, packet) => {
    const restore = answering(() => ({ raw: JSON.stringify(packet) }));
    try {
      const result = await callRoute(gw.baseUrl, route, validInput('directory.get'), { token });
      expect(result.status).toBe(503);
      expect(ErrorBodySchema.parse(result.body)).toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
        message: 'authority answered authority.directory.get with a malformed reply',
      });
    } finally {
      restore();
    }
  });

  it('a service that answers garbage → 503', async () => {
    const restore = answering(() => ({ raw: 'not json at all' }));
    try {
      const result = await callRoute(gw.baseUrl, route, validInput('directory.get'), { token });
      expect(result.status).toBe(503);
      expect(ErrorBodySchema.parse(result.body).code).toBe('DEPENDENCY_UNAVAILABLE');
    } finally {
      restore();
    }
  });

  it('a subject nobody serves → 503 at once, and /health says the service is down', async () => {
    await standIn.stop();
    try {
      const result = await callRoute(gw.baseUrl, route, validInput('directory.get'), { token });
      expect(result.status).toBe(503);
      expect(ErrorBodySchema.parse(result.body).message).toBe(
        'authority is unavailable: no responder',
      );
      const health = await fetch(`${gw.baseUrl}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual([
        { service: 'gateway', status: 'up', dependencies: { nats: { status: 'up' } } },
        ...SERVICE_NAMES.map((service) => ({
          service,
          status: 'down',
          dependencies: {
            reachable: { status: 'down', detail: `${service} is unavailable: no responder` },
          },
        })),
      ]);
    } finally {
      standIn = await StandInServices.start(nats, gw.publicKey);
    }
    expect((await fetch(`${gw.baseUrl}/health`)).status).toBe(200);
  });

  it('a degraded service makes /health 503, the others up', async () => {
    const previous = standIn.health;
    standIn.health = (service) =>
      service === 'authority'
        ? okReply({ service, status: 'degraded', dependencies: { chain: { status: 'down' } } })
        : previous(service);
    try {
      const health = await fetch(`${gw.baseUrl}/health`);
      expect(health.status).toBe(503);
      const services = (await health.json()) as { service: string; status: string }[];
      expect(services.map(({ service, status }) => `${service} ${status}`)).toEqual([
        'gateway up',
        'authority degraded',
        'storage up',
        'sharing up',
        'callcenter up',
      ]);
    } finally {
      standIn.health = previous;
    }
  });
});
