import { z } from 'zod';

import { ErrorBodySchema, ProtocolError, type ErrorBody } from './errors.js';

/** What every NATS request-reply answers: the data, or a typed error. */
export type Reply<T> =
  { readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: ErrorBody };

export const ReplySchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorBodySchema }),
]);

export function okReply<T>(data: T): Reply<T> {
  return { ok: true, data };
}

export function errorReply(error: ProtocolError, requestId?: string): Reply<never> {
  return { ok: false, error: error.toBody(requestId) };
}
