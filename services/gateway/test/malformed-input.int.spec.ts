import { createHmac, randomUUID } from 'node:crypto';

import { generateSigningKeyPair, toBase64Url } from '@sec-health/crypto';
import { ErrorBodySchema, type HttpRoute, type HttpRouteId, type Role } from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';
import type { SecureTestNats } from '@sec-health/testing';
import { importJWK, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SESSION_TOKEN_TYPE } from '../src/auth/token.service.js';
import { privateNats } from './support/private-nats.js';
import {
  b64,
  callRoute,
  ROLES,
  routeById,
  routes,
  send,
  validInput,
  type CallOptions,
  type CallResult,
} from './support/samples.js';
import { StandInServices } from './support/stand-in-services.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

let nats: SecureTestNats;
let standIn: StandInServices;
let gw: TestGateway;
let authorityToken: string;
/** A token for each role; the authority's is `authorityToken`. */
const tokens = new Map<Role, string>();
const authority: Actor = {
  id: randomUUID(),
  role: 'authority',
  organizationId: null,
  keyVersion: 1,
};
const statuses: number[] = [];

beforeAll(async () => {
  nats = await privateNats();
  gw = await startTestGateway(nats);
  standIn = await StandInServices.start(nats, gw.publicKey);
  authorityToken = await gw.token(authority);
  tokens.set('authority', authorityToken);
  for (const role of ROLES.filter((r) => r !== 'authority')) {
    tokens.set(role, await gw.token({ id: randomUUID(), role, organizationId: randomUUID() }));
  }
});

afterAll(async () => {
  await gw?.stop();
  await standIn?.stop();
  await nats?.stop();
});

/**
 * A token the route lets in (the authority's wherever it may call), so each bad request gets
 * past access to validation.
 */
function tokenFor(route: HttpRoute): string {
  const role =
    typeof route.access === 'string' || route.access.includes('authority')
      ? 'authority'
      : route.access[0]!;
  return tokens.get(role)!;
}

async function expectRejected(
  result: CallResult,
  status: number,
  code: string,
  requestId?: string,
): Promise<void> {
  statuses.push(result.status);
  expect(result.status).toBe(status);
  const body = ErrorBodySchema.parse(result.body);
  expect(body.code).toBe(code);
  expect(body.requestId).toBe(result.requestId);
  expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(js|ts):\d+/);
  if (requestId) expect(standIn.withRequestId(requestId)).toEqual([]);
}

function call(route: HttpRoute, input: Record<string, unknown>, options: CallOptions = {}) {
  const requestId = `bad-${randomUUID()}`;
  return {
    requestId,
    result: callRoute(gw.baseUrl, route, input, { token: tokenFor(route), requestId, ...options }),
  };
}

interface Variant {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

/** Broken versions of a valid input, kept only if the route's schema indeed refuses them. */
function variants(route: HttpRoute): Variant[] {
  const valid = validInput(route.id as HttpRouteId);
  const out: Variant[] = [{ name: 'an extra field', input: { ...valid, extra: 'x' } }];
  const leaves = (value: Record<string, unknown>, prefix: string[] = []): string[][] =>
    Object.entries(value).flatMap(([k, v]) =>
      typeof v === 'object' && v !== null
        ? [[...prefix, k], ...leaves(v as Record<string, unknown>, [...prefix, k])]
        : [[...prefix, k]],
    );
  const replace = (path: string[], value: unknown): Record<string, unknown> => {
    const copy = structuredClone(valid);
    let at: Record<string, unknown> = copy;
    for (const k of path.slice(0, -1)) at = at[k] as Record<string, unknown>;
    if (value === undefined) delete at[path.at(-1)!];
    else at[path.at(-1)!] = value;
    return copy;
  };
  for (const path of leaves(valid)) {
    const name = path.join('.');
    out.push({ name: `${name} missing`, input: replace(path, undefined) });
    out.push({ name: `${name} a number`, input: replace(path, 12345) });
    out.push({ name: `${name} an array`, input: replace(path, ['a']) });
    out.push({ name: `${name} oversized`, input: replace(path, 'a'.repeat(20_000)) });
    out.push({ name: `${name} padded base64`, input: replace(path, `${b64(30)}=`) });
    out.push({ name: `${name} wrong length key`, input: replace(path, b64(31)) });
    out.push({ name: `${name} non-base64`, input: replace(path, '!'.repeat(43)) });
    out.push({ name: `${name} control chars`, input: replace(path, 'a\u0000b') });
    out.push({ name: `${name} null`, input: replace(path, null) });
  }
  const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return out.filter((v) => {
    // Path params are strings in a URL: a number or array becomes text that may still be valid.
    const first = v.name.split(' ')[0]!;
    if (pathParams.includes(first) && / missing$/.test(v.name)) return false;
    // GET inputs travel as query text, where a number and a string look alike.
    const asSent =
      route.method === 'get' || pathParams.length > 0
        ? Object.fromEntries(
            Object.entries(v.input).map(([k, val]) =>
              pathParams.includes(k) || route.method === 'get' ? [k, String(val)] : [k, val],
            ),
          )
        : v.input;
    if (route.method === 'get' && Object.values(v.input).some((x) => x === null)) return false;
    return !route.input.safeParse(asSent).success;
  });
}

describe('malformed input on every route', () => {
  const cases = routes
    .filter((route) => route.id !== 'auth.whoami')
    .flatMap((route) => variants(route).map((v) => ({ id: route.id, ...v })));

  it('covers every route that takes input', () => {
    expect(new Set(cases.map((c) => c.id)).size).toBe(routes.length - 1);
  });

  it.each(cases)('$id: $name → 400', async ({ id, input }) => {
    const { requestId, result } = call(routeById(id as HttpRouteId), input);
    await expectRejected(await result, 400, 'VALIDATION_FAILED', requestId);
  });

  it.each(routes.filter((r) => r.path.includes('{')).map((r) => ({ id: r.id })))(
    '$id: a bad path parameter → 400',
    async ({ id }) => {
      const route = routeById(id as HttpRouteId);
      const param = /\{(\w+)\}/.exec(route.path)![1]!;
      for (const bad of ['not-a-uuid', 'a/b', "1' OR '1'='1", 'a'.repeat(5000)]) {
        const { requestId, result } = call(route, {
          ...validInput(id as HttpRouteId),
          [param]: bad,
        });
        await expectRejected(await result, 400, 'VALIDATION_FAILED', requestId);
      }
      const url = `${gw.baseUrl}${route.path.replace(`{${param}}`, '%FF')}`;
      const result = await send(
        url,
        route.method.toUpperCase(),
        route.method === 'post' ? '{}' : undefined,
        { token: tokenFor(route) },
      );
      await expectRejected(result, 400, 'VALIDATION_FAILED');
    },
  );

  it('a query parameter given twice → 400', async () => {
    const url = `${gw.baseUrl}/v1/participants?role=patient&role=research`;
    await expectRejected(
      await send(url, 'GET', undefined, { token: authorityToken }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('malformed bodies', () => {
  const challenge = routeById('auth.challenge');
  const organization = routeById('organizations.create');

  it.each([
    ['malformed JSON', '{"participantId": '],
    ['a JSON array', '[]'],
    ['a JSON string', '"x"'],
    ['a JSON number', '42'],
    ['an empty body', ''],
    ['nested garbage', '{"participantId": {"$gt": ""}}'],
    ['a __proto__ field', `{"__proto__": {"participantId": "${randomUUID()}"}, "name": "x"}`],
    ['a constructor field', '{"constructor": {"prototype": {}}, "name": "x"}'],
  ])('%s → 400', async (_name, rawBody) => {
    for (const route of [challenge, organization]) {
      const { requestId, result } = call(route, {}, { rawBody });
      await expectRejected(await result, 400, 'VALIDATION_FAILED', requestId);
    }
  });

  it('a body over 64 KiB → 413', async () => {
    const rawBody = JSON.stringify({ name: 'a'.repeat(70_000) });
    const { requestId, result } = call(organization, {}, { rawBody });
    await expectRejected(await result, 413, 'PAYLOAD_TOO_LARGE', requestId);
  });

  it('JSON sent as text/plain is not parsed → 400', async () => {
    const rawBody = JSON.stringify({ name: 'General Hospital' });
    const { requestId, result } = call(organization, {}, { rawBody, contentType: 'text/plain' });
    await expectRejected(await result, 400, 'VALIDATION_FAILED', requestId);
  });

  it('an unsupported charset → 400', async () => {
    const rawBody = JSON.stringify({ name: 'General Hospital' });
    const contentType = 'application/json; charset=klingon';
    const { requestId, result } = call(organization, {}, { rawBody, contentType });
    await expectRejected(await result, 400, 'VALIDATION_FAILED', requestId);
  });
});

describe('bad tokens', () => {
  const route = routeById('directory.get');
  const encode = (value: unknown): string =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (): JWTPayload => ({
    iss: 'sec-health-gateway',
    aud: 'sec-health-api',
    sub: randomUUID(),
    role: 'authority',
    org: null,
    kv: 1,
    iat: now(),
    exp: now() + 600,
  });
  /** A session token signed with `seed` (default: the gateway's own key), as an attacker would vary it. */
  const session = async (
    payload: JWTPayload,
    seed: Uint8Array = gw.seed,
    typ = SESSION_TOKEN_TYPE,
  ): Promise<string> => {
    const keys = generateSigningKeyPair();
    const x = seed === gw.seed ? gw.publicKey : toBase64Url(keys.publicKey);
    const d = toBase64Url(seed === gw.seed ? gw.seed : keys.secretKey);
    const key = await importJWK({ kty: 'OKP', crv: 'Ed25519', d, x }, 'EdDSA');
    return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ }).sign(key);
  };
  const without = (name: string): JWTPayload => {
    const all = claims();
    delete all[name];
    return all;
  };

  const tokens: [string, () => Promise<string>][] = [
    ['expired', () => session({ ...claims(), iat: now() - 1000, exp: now() - 5 })],
    ['signed with another key', () => session(claims(), generateSigningKeyPair().secretKey)],
    [
      'alg none',
      async () => `${encode({ alg: 'none', typ: SESSION_TOKEN_TYPE })}.${encode(claims())}.`,
    ],
    [
      'HS256 keyed with the public key (algorithm confusion)',
      async () => {
        const input = `${encode({ alg: 'HS256', typ: SESSION_TOKEN_TYPE })}.${encode(claims())}`;
        const mac = createHmac('sha256', gw.publicKey).update(input).digest('base64url');
        return `${input}.${mac}`;
      },
    ],
    ['without exp (issue #10 finding 8)', () => session(without('exp'))],
    ['without iat', () => session(without('iat'))],
    [
      'ten years ahead (issue #10 finding 8)',
      () => session({ ...claims(), exp: now() + 10 * 365 * 24 * 3600 }),
    ],
    ['issued in the future', () => session({ ...claims(), iat: now() + 3600, exp: now() + 3900 })],
    ['for another audience', () => session({ ...claims(), aud: 'sec-health-admin' })],
    [
      'of another type (an actor assertion)',
      () => session(claims(), gw.seed, 'sec-health-actor+jwt'),
    ],
    [
      'a tampered payload',
      async () => {
        const token = await gw.token({ id: randomUUID(), role: 'patient', organizationId: null });
        const [header, , signature] = token.split('.');
        return `${header}.${encode({ ...claims(), exp: now() + 600 })}.${signature}`;
      },
    ],
    ['a role that does not exist', () => session({ ...claims(), role: 'root' })],
    ['a subject that is not a UUID', () => session({ ...claims(), sub: 'admin' })],
    ['without a key version', () => session(without('kv'))],
    ['garbage', async () => 'a.b.c'],
  ];

  it.each(tokens)('%s → 401', async (_name, make) => {
    const token = await make();
    const requestId = `tok-${randomUUID()}`;
    const result = await callRoute(gw.baseUrl, route, validInput('directory.get'), {
      token,
      requestId,
    });
    await expectRejected(result, 401, 'UNAUTHENTICATED', requestId);
  });

  it.each([
    'Basic dXNlcjpwYXNz',
    'Bearer',
    'Bearer ',
    'bearer x.y.z',
    `Bearer ${'a'.repeat(9000)}`,
  ])('Authorization %j → 401', async (authorization) => {
    const requestId = `hdr-${randomUUID()}`;
    const result = await callRoute(gw.baseUrl, route, validInput('directory.get'), {
      authorization,
      requestId,
    });
    await expectRejected(result, 401, 'UNAUTHENTICATED', requestId);
  });
});

describe('unknown routes', () => {
  it.each([
    ['GET', '/v1/nothing'],
    ['POST', '/v1/auth/whoami'],
    ['GET', '/v1/auth/login'],
    ['DELETE', '/v1/participants'],
    ['GET', '/'],
  ])('%s %s → 404', async (method, path) => {
    const result = await send(`${gw.baseUrl}${path}`, method, undefined, { token: authorityToken });
    await expectRejected(result, 404, 'NOT_FOUND');
  });
});

describe('afterwards', () => {
  it('no bad input got a 5xx, and the gateway is still healthy', async () => {
    expect(statuses.length).toBeGreaterThan(100);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    const health = await send(`${gw.baseUrl}/health`, 'GET', undefined);
    expect(health.status).toBe(200);
  });

  it('no log line holds a token or a stack of a bad request', () => {
    const all = gw.rawLogs.join('\n');
    for (const token of tokens.values()) expect(all).not.toContain(token);
    expect(all).not.toContain('"stack"');
  });
});
