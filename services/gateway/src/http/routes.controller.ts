import { Controller, Get, HttpCode, Inject, Post, Req, type Type } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { HttpRoute } from '@sec-health/protocol';

import { RouteDispatcher, type HttpRequest } from './route-dispatcher.js';

/** Rate limited per client IP: the routes anyone can call that cost a signature check or state. */
const THROTTLED_ROUTES = new Set(['auth.challenge', 'auth.login']);

/** `/v1/participants/{participantId}` → `/v1/participants/:participantId`. */
export function expressPath(openApiPath: string): string {
  return openApiPath.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * One Nest controller serving every route of the table: each route becomes a method carrying the
 * same decorators a hand-written controller would, so guards, filters and throttling apply.
 */
export function routesController(routes: readonly HttpRoute[]): Type {
  @Controller()
  class RoutesController {
    constructor(@Inject(RouteDispatcher) readonly dispatcher: RouteDispatcher) {}
  }
  const prototype = RoutesController.prototype as unknown as Record<string, unknown>;
  routes.forEach((route) => {
    const key = `route:${route.id}`;
    const descriptor: PropertyDescriptor = {
      value: function (this: RoutesController, req: HttpRequest) {
        return this.dispatcher.handle(route, req);
      },
      writable: true,
      configurable: true,
    };
    Object.defineProperty(prototype, key, descriptor);
    Req()(prototype, key, 0);
    HttpCode(200)(prototype, key, descriptor);
    (route.method === 'get' ? Get : Post)(expressPath(route.path))(prototype, key, descriptor);
    if (!THROTTLED_ROUTES.has(route.id)) SkipThrottle()(prototype, key, descriptor);
  });
  return RoutesController;
}
