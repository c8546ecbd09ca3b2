import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { Header } from '@sec-health/protocol';

import { runWithRequestContext } from '@sec-health/service-kit';

/** Client ids are echoed into headers and logs, so only short, plain ones are kept. */
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

export type RequestWithId = IncomingMessage & { id?: string };

/** The client's X-Request-Id when well formed, else a new UUID. */
export function chooseRequestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && WELL_FORMED.test(header) ? header : randomUUID();
}

/** Express middleware: fixes the request id, returns it in the response, binds it for logging. */
export function requestIdMiddleware(
  req: RequestWithId,
  res: ServerResponse,
  next: () => void,
): void {
  const requestId = chooseRequestId(req.headers[Header.RequestId]);
  req.id = requestId;
  res.setHeader(Header.RequestId, requestId);
  runWithRequestContext({ requestId }, next);
}

export function requestIdOf(req: RequestWithId): string {
  return req.id ?? randomUUID();
}
