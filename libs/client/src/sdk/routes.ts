import { httpRoutes, type HttpRoute, type HttpRouteId } from '@sec-health/protocol';
import type { z } from 'zod';

type AnyRoute = (typeof httpRoutes)[number];
export type RouteOf<Id extends HttpRouteId> = Extract<AnyRoute, { id: Id }>;
/** What a caller passes for a route: path parameters, query and body fields in one object. */
export type RouteInput<Id extends HttpRouteId> = z.input<RouteOf<Id>['input']>;
export type RouteOutput<Id extends HttpRouteId> = z.output<RouteOf<Id>['output']>;

const byId = new Map<string, HttpRoute>(httpRoutes.map((route) => [route.id, route]));

export function routeById(id: HttpRouteId): HttpRoute {
  const route = byId.get(id);
  if (!route) throw new Error(`no HTTP route with id ${id}`);
  return route;
}
