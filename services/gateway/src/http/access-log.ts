import type { IncomingMessage, ServerResponse } from 'node:http';

import { pinoHttp } from 'pino-http';

import type { Logger } from '@sec-health/service-kit';
import type { RequestWithId } from './request-id.js';

/**
 * One line per request: method, path without the query, status and time. Headers (tokens) and
 * bodies (signatures, keys) are never serialized.
 */
export function accessLogMiddleware(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage) => (req as RequestWithId).id ?? 'unknown',
    customAttributeKeys: { reqId: 'requestId' },
    quietReqLogger: true,
    wrapSerializers: false,
    serializers: {
      req: (req: RequestWithId) => ({ method: req.method, path: (req.url ?? '').split('?')[0] }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      // pino-http invents an error for every 5xx; its stack is pino-http's own, so keep the text.
      err: (err: Error) => ({ message: err.message }),
    },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
  });
}
