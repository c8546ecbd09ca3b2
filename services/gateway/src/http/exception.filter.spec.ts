import { Writable } from 'node:stream';

import type { ArgumentsHost } from '@nestjs/common';
import { HttpException, NotFoundException } from '@nestjs/common';
import { ProtocolError } from '@sec-health/protocol';
import { describe, expect, it } from 'vitest';

import { createLogger } from '@sec-health/service-kit';
import { GatewayExceptionFilter } from './exception.filter.js';

function run(exception: unknown) {
  const lines: string[] = [];
  const logger = createLogger('gateway', {
    destination: new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  });
  let status = 0;
  let body: unknown;
  const res = {
    headersSent: false,
    setHeader: () => undefined,
    status(code: number) {
      status = code;
      return {
        json(value: unknown) {
          body = value;
        },
      };
    },
  };
  const host = {
    switchToHttp: () => ({ getRequest: () => ({ id: 'req-12345678' }), getResponse: () => res }),
  } as unknown as ArgumentsHost;
  new GatewayExceptionFilter(logger, 65_536).catch(exception, host);
  return { status, body, lines };
}

const parserError = (type: string, status: number) =>
  new HttpException('x', status, { cause: Object.assign(new Error('x'), { type, status }) });

describe('GatewayExceptionFilter', () => {
  it('answers an unexpected error with a bare 500 and logs it with the request id', () => {
    const { status, body, lines } = run(new TypeError('secret internals at /srv/x.js:1'));
    expect(status).toBe(500);
    expect(body).toEqual({
      code: 'INTERNAL',
      message: 'internal error',
      requestId: 'req-12345678',
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      requestId: 'req-12345678',
      err: { name: 'TypeError', message: 'secret internals at /srv/x.js:1' },
    });
  });

  it.each([
    ['a ProtocolError', new ProtocolError('CONFLICT', 'taken'), 409, 'CONFLICT'],
    ['an unknown route', new NotFoundException(), 404, 'NOT_FOUND'],
    ['a too large body', parserError('entity.too.large', 413), 413, 'PAYLOAD_TOO_LARGE'],
    ['malformed JSON', parserError('entity.parse.failed', 400), 400, 'VALIDATION_FAILED'],
    ['a bad charset', parserError('charset.unsupported', 415), 400, 'VALIDATION_FAILED'],
    ['a throttled request', new HttpException('x', 429), 429, 'RATE_LIMITED'],
    ['a thrown string', 'boom', 500, 'INTERNAL'],
  ])('maps %s to %i %s', (_name, exception, status, code) => {
    const result = run(exception);
    expect(result.status).toBe(status);
    expect(result.body).toMatchObject({ code, requestId: 'req-12345678' });
  });
});
