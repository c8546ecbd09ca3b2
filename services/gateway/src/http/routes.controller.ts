import { Controller, Get, HttpCode, Inject, Post, Req, type Type } from '@nestjs/common';
import { SkipThrottle, Throttle } from '@nestjs/throttler';
import type { HttpRoute } from '@sec-health/protocol';

import type { RateLimits } from '../config.js';
import { MINUTE_MS, routePolicy, type Bucket } from './rate-limits.js';
import { RouteDispatcher, type HttpRequest } from './route-dispatcher.js';

/** `/v1/participants/{participantId}` → `/v1/participants/:participantId`. */
export function expressPath(openApiPath: string): string {
  return openApiPath.replace(/\{(\w+)\}/g, ':$1');
}

const BUCKETS: readonly Bucket[] = ['ip', 'participant'];

/**
 * One Nest controller serving every route of the table: each route becomes a method named after
 * the route id and carrying the decorators a hand-written controller would, so guards, filters
 * and each route's own rate-limit buckets apply.
 */
export function routesController(routes: readonly HttpRoute[], limits: RateLimits): Type {
  @Controller()
  class RoutesController {
    constructor(@Inject(RouteDispatcher) readonly dispatcher: RouteDispatcher) {}
  }
  const prototype = RoutesController.prototype as unknown as Record<string, unknown>;
  routes.forEach((route) => {
    const key = `route:${route.id}`;
    const handler = function (this: RoutesController, req: HttpRequest) {
      return this.dispatcher.handle(route, req);
    };
    Object.defineProperty(handler, 'name', { value: route.id });
    const descriptor: PropertyDescriptor = { value: handler, writable: true, configurable: true };
    Object.defineProperty(prototype, key, descriptor);
    Req()(prototype, key, 0);
    HttpCode(200)(prototype, key, descriptor);
    (route.method === 'get' ? Get : Post)(expressPath(route.path))(prototype, key, descriptor);
    const policy = routePolicy(route, limits);
    const counted = BUCKETS.filter((bucket) => policy[bucket] !== undefined);
    Throttle(Object.fromEntries(counted.map((b) => [b, { limit: policy[b]!, ttl: MINUTE_MS }])))(
      prototype,
      key,
      descriptor,
    );
    const skipped = BUCKETS.filter((bucket) => policy[bucket] === undefined);
    if (skipped.length > 0) {
      SkipThrottle(Object.fromEntries(skipped.map((b) => [b, true])))(prototype, key, descriptor);
    }
  });
  return RoutesController;
}
