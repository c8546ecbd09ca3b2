import type { HttpRoute } from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';
import type { ThrottlerModuleOptions } from '@nestjs/throttler';

import type { RateLimits } from '../config.js';

/** Per-route, per-key request budgets: `ip` keys by client address, `participant` by who. */
export type Bucket = 'ip' | 'participant';
export type RoutePolicy = Partial<Record<Bucket, number>>;

const MINUTE_MS = 60_000;

/**
 * How many requests a minute each route allows, and per what. Every route has its own buckets
 * (the key is the route id): challenge and login never share one. Logins are counted per client
 * address and per participant, so one noisy address cannot lock out a whole hospital behind it,
 * and nobody can hammer one participant from many addresses; registrations per address;
 * authenticated routes per participant only.
 */
export function routePolicy(route: HttpRoute, limits: RateLimits): RoutePolicy {
  if (route.id === 'auth.challenge' || route.id === 'auth.login') {
    return { ip: limits.perIp, participant: limits.perParticipantAuth };
  }
  if (route.id === 'participants.register') return { ip: limits.registrationsPerIp };
  if (route.access === 'public') return { ip: limits.perIp };
  return { participant: limits.perActor };
}

/** What the throttler counts for a request: the actor, else the participant a login names. */
export function participantTracker(req: { actor?: Actor; body?: unknown }): string {
  if (req.actor) return `actor:${req.actor.id}`;
  const named = (req.body as { participantId?: unknown } | undefined)?.participantId;
  return typeof named === 'string' ? `named:${named.slice(0, 64)}` : 'anonymous';
}

/** The throttlers; routes set their own limits (routesController), these are the defaults. */
export function throttlerOptions(limits: RateLimits): ThrottlerModuleOptions {
  return {
    throttlers: [
      {
        name: 'ip',
        ttl: MINUTE_MS,
        limit: limits.perIp,
        getTracker: (req) => String(req.ip ?? 'unknown'),
      },
      {
        name: 'participant',
        ttl: MINUTE_MS,
        limit: limits.perActor,
        getTracker: (req) => participantTracker(req as { actor?: Actor; body?: unknown }),
      },
    ],
    // The handler's name is the route id, so each route counts on its own.
    generateKey: (context, tracker, name) => `${context.getHandler().name}|${name}|${tracker}`,
    errorMessage: 'too many requests; retry later',
  };
}

export { MINUTE_MS };
