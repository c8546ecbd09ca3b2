import { Writable } from 'node:stream';

import { generateSigningKeyPair, toBase64Url } from '@sec-health/crypto';
import { ErrorCode, Header, ProtocolError, type NatsContract } from '@sec-health/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { ActorAssertionSigner } from './actor-assertion.js';
import { unavailableWhen, conflictWhen } from './dependency-errors.js';
import { handle } from './handle.js';
import { createLogger } from './logger.js';
import { NOT_JSON } from './nats-options.js';
import { createServiceKit, type ServiceKit } from './service-kit.js';

const contract = {
  subject: 'svc.thing.get',
  input: z.strictObject({ name: z.string() }),
  output: z.strictObject({ echo: z.string() }),
  caller: 'actor',
} as const satisfies NatsContract;
const anonymous = { ...contract, subject: 'svc.thing.register', caller: 'anonymous' } as const;
const ACTOR = {
  id: '0190f5a0-0000-7000-8000-000000000001',
  role: 'authority',
  organizationId: null,
  keyVersion: 1,
} as const;

let signer: ActorAssertionSigner;
let gatewayPublicKey: string;

beforeAll(async () => {
  const keys = generateSigningKeyPair();
  signer = await ActorAssertionSigner.fromSeed(keys.secretKey);
  gatewayPublicKey = toBase64Url(keys.publicKey);
});

async function kitWithLog(classifiers: ServiceKit['classifiers'] = []) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const kit = await createServiceKit({
    service: 'svc',
    logger: createLogger('svc', { destination }),
    gatewayPublicKey,
    limits: { maxConcurrent: 4, maxQueued: 4 },
    classifiers,
  });
  return { kit, lines };
}

function ctx(headers: Record<string, string> = {}) {
  return { getHeaders: () => ({ get: (name: string) => headers[name] ?? '' }) };
}

async function signed(body: unknown, options: { subject?: string; actor?: boolean } = {}) {
  const assertion = await signer.sign({
    subject: options.subject ?? contract.subject,
    body,
    requestId: 'req-1',
    ...(options.actor === false ? {} : { actor: ACTOR }),
  });
  return ctx({ [Header.RequestId]: 'req-1', [Header.ActorAssertion]: assertion });
}

describe('handle', () => {
  it('answers ok with the result, passes the asserted actor, and logs one line without payload', async () => {
    const { kit, lines } = await kitWithLog();
    const body = { name: 'x' };
    const reply = await handle(kit, await signed(body), body, contract, async (input, request) => {
      expect(request).toMatchObject({
        requestId: 'req-1',
        subject: contract.subject,
        actor: ACTOR,
      });
      return { echo: input.name };
    });
    expect(reply).toEqual({ ok: true, data: { echo: 'x' } });
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'request',
        subject: contract.subject,
        actor: ACTOR.id,
        role: 'authority',
        outcome: 'ok',
        requestId: 'req-1',
        durationMs: expect.any(Number) as unknown,
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('"name"');
  });

  it.each([
    ['no assertion', async () => ctx({ [Header.RequestId]: 'r' })],
    [
      'a plain actor header instead (issue #10 finding 3)',
      async () => ctx({ 'x-actor-id': ACTOR.id, 'x-actor-role': 'authority' }),
    ],
    ['an assertion for another subject', () => signed({ name: 'x' }, { subject: 'svc.other' })],
    ['an assertion for another body', () => signed({ name: 'y' })],
    ['a garbage assertion', async () => ctx({ [Header.ActorAssertion]: 'a.b.c' })],
  ])('refuses a request with %s as UNAUTHENTICATED, without running it', async (_what, context) => {
    const { kit } = await kitWithLog();
    let ran = false;
    const reply = await handle(kit, await context(), { name: 'x' }, contract, async () => {
      ran = true;
      return { echo: 'x' };
    });
    expect(ran).toBe(false);
    expect(reply).toMatchObject({ ok: false, error: { code: ErrorCode.Unauthenticated } });
  });

  it('refuses an assertion signed by another key', async () => {
    const { kit } = await kitWithLog();
    const other = await ActorAssertionSigner.fromSeed(generateSigningKeyPair().secretKey);
    const body = { name: 'x' };
    const forged = await other.sign({
      subject: contract.subject,
      body,
      requestId: 'r',
      actor: ACTOR,
    });
    const reply = await handle(
      kit,
      ctx({ [Header.ActorAssertion]: forged }),
      body,
      contract,
      async () => ({ echo: 'x' }),
    );
    expect(reply).toMatchObject({ ok: false, error: { code: ErrorCode.Unauthenticated } });
  });

  it('requires an actor where the contract does, and lets anonymous contracts through', async () => {
    const { kit } = await kitWithLog();
    const body = { name: 'x' };
    const noActor = await signed(body, { actor: false });
    expect(await handle(kit, noActor, body, contract, async () => ({ echo: 'x' }))).toMatchObject({
      ok: false,
      error: { code: ErrorCode.Unauthenticated, message: 'authentication required' },
    });
    const forAnonymous = await signed(body, { actor: false, subject: anonymous.subject });
    expect(await handle(kit, forAnonymous, body, anonymous, async () => ({ echo: 'x' }))).toEqual({
      ok: true,
      data: { echo: 'x' },
    });
  });

  it('answers VALIDATION_FAILED for a bad payload or a body that is not JSON', async () => {
    const { kit } = await kitWithLog();
    const bad = { name: 1, extra: true };
    expect(
      await handle(kit, await signed(bad), bad, contract, async () => ({ echo: 'x' })),
    ).toMatchObject({
      ok: false,
      error: { code: ErrorCode.ValidationFailed },
    });
    expect(await handle(kit, ctx(), NOT_JSON, contract, async () => ({ echo: 'x' }))).toMatchObject(
      {
        ok: false,
        error: { code: ErrorCode.ValidationFailed },
      },
    );
  });

  it('refuses to send a reply that does not match the contract (INTERNAL, logged)', async () => {
    const { kit, lines } = await kitWithLog();
    const body = { name: 'x' };
    const reply = await handle(
      kit,
      await signed(body),
      body,
      contract,
      async () =>
        ({
          echo: 'x',
          participantRef: '0xsecret',
        }) as never,
    );
    expect(reply).toMatchObject({ ok: false, error: { code: ErrorCode.Internal } });
    expect(lines.map((l) => l.msg)).toContain('the reply does not match its contract');
  });

  it('passes a ProtocolError through with the request id', async () => {
    const { kit } = await kitWithLog();
    const body = { name: 'x' };
    const reply = await handle(kit, await signed(body), body, contract, async () => {
      throw new ProtocolError(ErrorCode.NotFound, 'no such thing');
    });
    expect(reply).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no such thing', requestId: 'req-1' },
    });
  });

  it('maps dependency failures to DEPENDENCY_UNAVAILABLE and uniqueness to CONFLICT, the rest to INTERNAL', async () => {
    const { kit, lines } = await kitWithLog([
      unavailableWhen('PostgreSQL', (e) => (e as { code?: string }).code === 'ECONNREFUSED'),
      conflictWhen((e) => (e as { code?: string }).code === '23505'),
    ]);
    const body = { name: 'x' };
    const failing = (error: unknown) => () =>
      handle(kit, signedCtx, body, contract, async () => {
        throw error;
      });
    const signedCtx = await signed(body);
    expect(
      await failing(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))(),
    ).toMatchObject({
      ok: false,
      error: {
        code: ErrorCode.DependencyUnavailable,
        message: 'PostgreSQL is unavailable; retry shortly',
      },
    });
    expect(
      await failing(Object.assign(new Error('duplicate key'), { code: '23505' }))(),
    ).toMatchObject({
      ok: false,
      error: { code: ErrorCode.Conflict },
    });
    expect(await failing(new Error('database exploded at password=secret'))()).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'internal error', requestId: 'req-1' },
    });
    const reply = JSON.stringify(lines);
    expect(reply).toContain('request failed unexpectedly');
  });

  it('binds the request id to log lines written inside the handler', async () => {
    const { kit, lines } = await kitWithLog();
    const body = { name: 'x' };
    await handle(kit, await signed(body), body, contract, async () => {
      kit.logger.info('inside');
      return { echo: 'x' };
    });
    expect(lines[0]).toMatchObject({ requestId: 'req-1', msg: 'inside' });
  });

  it('answers OVERLOADED at once beyond its bound of concurrent and queued work', async () => {
    const { kit } = await kitWithLog();
    const body = { name: 'x' };
    const context = await signed(body);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = () =>
      handle(kit, context, body, contract, async () => {
        await gate;
        return { echo: 'x' };
      });
    // 4 in flight and 4 queued fill the bound; the ninth is refused without waiting.
    const admitted = Array.from({ length: 8 }, slow);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await slow()).toMatchObject({ ok: false, error: { code: ErrorCode.Overloaded } });
    release();
    for (const reply of await Promise.all(admitted)) expect(reply.ok).toBe(true);
  });
});
