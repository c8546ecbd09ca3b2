import {
  ErrorCode,
  parseOrThrow,
  ProtocolError,
  type ChallengeRequest,
  type HttpRoute,
  type LoginRequest,
  type WhoAmI,
} from '@sec-health/protocol';
import { runWithRequestContext, type Actor } from '@sec-health/service-kit';

import { decideAccess } from '../auth/access.js';
import type { ActorStatusCheck } from '../auth/actor-status.js';
import type { LoginService } from '../auth/login.service.js';
import type { ServiceClient } from '../nats/service-client.js';
import type { AuthenticatedRequest } from './authenticate.js';
import { mergeInput } from './merge-input.js';
import { requestIdOf, type RequestWithId } from './request-id.js';

export type HttpRequest = RequestWithId &
  AuthenticatedRequest & {
    readonly params: Record<string, string>;
    readonly query: unknown;
    readonly body: unknown;
  };

interface LocalContext {
  readonly requestId: string;
  readonly actor: Actor | undefined;
}

type LocalHandler = (input: never, context: LocalContext) => unknown;

/** What one HTTP route does: check access, validate, then forward to its contract or answer here. */
export class RouteDispatcher {
  private readonly local: Readonly<Record<string, LocalHandler>>;

  constructor(
    private readonly services: ServiceClient,
    private readonly status: ActorStatusCheck,
    login: LoginService,
  ) {
    this.local = {
      'auth.challenge': (input: ChallengeRequest) => login.challenge(input),
      'auth.login': (input: LoginRequest, { requestId }) => login.login(input, requestId),
      'auth.whoami': (_input: unknown, { actor }): WhoAmI => ({
        participantId: actor!.id,
        role: actor!.role,
        organizationId: actor!.organizationId,
      }),
    };
  }

  /** Fails at start, not at the first request, when a route has neither contract nor handler. */
  assertServes(routes: readonly HttpRoute[]): void {
    const missing = routes.filter((r) => r.contract === undefined && !(r.id in this.local));
    if (missing.length > 0) {
      throw new Error(`no handler for routes ${missing.map((r) => r.id).join(', ')}`);
    }
  }

  /**
   * The actor a request acts as, once its token, its role and its current status allow the
   * route; undefined for a public route.
   */
  async authorize(
    route: Pick<HttpRoute, 'id' | 'access'>,
    req: AuthenticatedRequest,
    requestId: string,
  ): Promise<Actor | undefined> {
    if (route.access !== 'public' && req.authError) throw req.authError;
    const actor = route.access === 'public' ? undefined : req.actor;
    const decision = decideAccess(route.access, actor);
    if (decision === 'unauthenticated') {
      throw new ProtocolError(ErrorCode.Unauthenticated, 'a bearer token is required');
    }
    if (decision === 'forbidden') {
      throw new ProtocolError(ErrorCode.Forbidden, `role ${actor?.role} may not call ${route.id}`);
    }
    if (actor) await this.status.assertActive(actor, requestId);
    return actor;
  }

  handle(route: HttpRoute, req: HttpRequest): Promise<unknown> {
    const requestId = requestIdOf(req);
    return runWithRequestContext({ requestId }, async () => {
      // Access before validation: anonymous callers learn nothing about a route's schema.
      const actor = await this.authorize(route, req, requestId);
      const input = parseOrThrow(
        route.input,
        mergeInput(route.method, { params: req.params, query: req.query, body: req.body }),
        `${route.id} input`,
      );
      if (route.contract !== undefined) {
        return this.services.call(route.contract, input, {
          requestId,
          ...(actor ? { actor } : {}),
        });
      }
      return this.local[route.id]!(input as never, { requestId, actor });
    });
  }
}
