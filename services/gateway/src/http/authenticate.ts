import type { IncomingMessage, ServerResponse } from 'node:http';

import type { ProtocolError } from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';

import type { TokenService } from '../auth/token.service.js';

/** A request once its bearer token (if any) was checked. */
export type AuthenticatedRequest = IncomingMessage & {
  actor?: Actor;
  /** Why the presented token was refused; answered only on routes that need a token. */
  authError?: ProtocolError;
};

/**
 * Express middleware: verifies the bearer token once, before rate limiting and routing, so the
 * per-participant buckets count the verified participant, never a name a caller made up.
 */
export function authenticateMiddleware(tokens: TokenService) {
  return (req: AuthenticatedRequest, _res: ServerResponse, next: () => void): void => {
    const header = req.headers.authorization;
    tokens.authenticate(typeof header === 'string' ? header : undefined).then(
      (actor) => {
        if (actor) req.actor = actor;
        next();
      },
      (error: ProtocolError) => {
        req.authError = error;
        next();
      },
    );
  };
}
