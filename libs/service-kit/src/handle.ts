import { randomUUID } from 'node:crypto';

import {
  ErrorCode,
  errorReply,
  okReply,
  parseOrThrow,
  ProtocolError,
  type Reply,
} from '@sec-health/protocol';
import type { Logger } from 'pino';
import type { z } from 'zod';

import { readRequestHeaders, type HeaderReader, type RequestHeaders } from './actor.js';
import { NOT_JSON } from './nats-options.js';
import { runWithRequestContext } from './request-context.js';

/** The part of Nest's NatsContext the handler needs. */
export interface HandlerContext {
  getHeaders(): HeaderReader | undefined;
}

export interface HandleOptions {
  readonly logger: Logger;
}

/**
 * Runs one NATS request: reads the request id and actor, validates `payload` with `schema`, runs
 * `fn` and always answers a Reply. A ProtocolError is answered as is; anything else is logged
 * (with the request id, without payload) and answered as INTERNAL with no details.
 */
export async function handle<S extends z.ZodType, T>(
  options: HandleOptions,
  ctx: HandlerContext,
  payload: unknown,
  schema: S,
  what: string,
  fn: (input: z.output<S>, request: RequestHeaders) => Promise<T> | T,
): Promise<Reply<T>> {
  let requestId: string | undefined;
  try {
    const request = readRequestHeaders(ctx.getHeaders(), randomUUID);
    requestId = request.requestId;
    return await runWithRequestContext({ requestId }, async () => {
      if (payload === NOT_JSON) {
        throw new ProtocolError(ErrorCode.ValidationFailed, `invalid ${what}: body is not JSON`);
      }
      const input = parseOrThrow(schema, payload, what);
      return okReply(await fn(input, request));
    });
  } catch (error) {
    if (error instanceof ProtocolError) return errorReply(error, requestId);
    options.logger.error(
      { requestId, what, error: describeError(error) },
      'request failed unexpectedly',
    );
    return errorReply(new ProtocolError(ErrorCode.Internal, 'internal error'), requestId);
  }
}

// Name and message only: a stack or a driver error's fields could carry query parameters.
function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error;
}
