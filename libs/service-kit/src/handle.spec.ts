import { Writable } from 'node:stream';

import { ErrorCode, Header, ProtocolError } from '@sec-health/protocol';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { handle } from './handle.js';
import { createLogger } from './logger.js';
import { NOT_JSON } from './nats-options.js';

const Input = z.strictObject({ name: z.string() });
const ACTOR = '0190f5a0-0000-7000-8000-000000000001';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('test', { destination }) };
}

function ctx(headers: Record<string, string> = {}) {
  return { getHeaders: () => ({ get: (name: string) => headers[name] ?? '' }) };
}

describe('handle', () => {
  it('answers ok with the result and passes the actor and request id', async () => {
    const { logger } = capture();
    const reply = await handle(
      { logger },
      ctx({
        [Header.RequestId]: 'req-1',
        [Header.ActorId]: ACTOR,
        [Header.ActorRole]: 'authority',
      }),
      { name: 'x' },
      Input,
      'thing',
      (input, request) => ({ echo: input.name, request }),
    );
    expect(reply).toEqual({
      ok: true,
      data: {
        echo: 'x',
        request: {
          requestId: 'req-1',
          actor: { id: ACTOR, role: 'authority', organizationId: null },
        },
      },
    });
  });

  it('answers VALIDATION_FAILED for a bad payload without calling fn', async () => {
    const { logger } = capture();
    let called = false;
    const reply = await handle({ logger }, ctx(), { name: 1, extra: true }, Input, 'thing', () => {
      called = true;
    });
    expect(called).toBe(false);
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.code).toBe(ErrorCode.ValidationFailed);
  });

  it('answers VALIDATION_FAILED for a body that is not JSON', async () => {
    const { logger } = capture();
    const reply = await handle({ logger }, ctx(), NOT_JSON, Input, 'thing', () => 1);
    expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('passes a ProtocolError through with the request id', async () => {
    const { logger } = capture();
    const reply = await handle(
      { logger },
      ctx({ [Header.RequestId]: 'req-2' }),
      { name: 'x' },
      Input,
      'thing',
      () => {
        throw new ProtocolError(ErrorCode.NotFound, 'no such thing');
      },
    );
    expect(reply).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no such thing', requestId: 'req-2' },
    });
  });

  it('turns an unexpected error into INTERNAL without details and logs it with the request id', async () => {
    const { logger, lines } = capture();
    const reply = await handle(
      { logger },
      ctx({ [Header.RequestId]: 'req-3' }),
      { name: 'x' },
      Input,
      'thing',
      async () => {
        throw new Error('database exploded at password=secret');
      },
    );
    expect(reply).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'internal error', requestId: 'req-3' },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ requestId: 'req-3', service: 'test', what: 'thing' });
  });

  it('refuses malformed actor headers as UNAUTHENTICATED', async () => {
    const { logger } = capture();
    const reply = await handle(
      { logger },
      ctx({ [Header.ActorId]: ACTOR, [Header.ActorRole]: 'superuser' }),
      { name: 'x' },
      Input,
      'thing',
      () => 1,
    );
    expect(reply).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('binds the request id to log lines written inside fn', async () => {
    const { logger, lines } = capture();
    await handle(
      { logger },
      ctx({ [Header.RequestId]: 'req-4' }),
      { name: 'x' },
      Input,
      'thing',
      () => logger.info('inside'),
    );
    expect(lines[0]).toMatchObject({ requestId: 'req-4', msg: 'inside' });
  });
});
