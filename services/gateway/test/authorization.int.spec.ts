import { randomUUID } from 'node:crypto';

import { ErrorBodySchema, type HttpRouteId, type Role } from '@sec-health/protocol';
import type { SecureTestNats } from '@sec-health/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { privateNats } from './support/private-nats.js';
import { callRoute, ROLES, routeById, routes, validInput } from './support/samples.js';
import { sampleOutput } from './support/sample-outputs.js';
import { StandInServices } from './support/stand-in-services.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

type Caller = Role | 'anonymous';
const CALLERS: readonly Caller[] = ['anonymous', ...ROLES];
const EVERYONE = CALLERS;
const ANY_ROLE = ROLES;
const ADMINS: readonly Caller[] = ['org-admin', 'authority'];
const AUTHORS: readonly Caller[] = ['collaborator', 'patient'];
const PATIENT: readonly Caller[] = ['patient'];

/** Who may call what, written out by hand: a change to a route's access must change this table. */
const EXPECTED_ALLOWED: Record<HttpRouteId, readonly Caller[]> = {
  'auth.challenge': EVERYONE,
  'auth.login': EVERYONE,
  'auth.whoami': ANY_ROLE,
  'organizations.create': ['authority'],
  'participants.register': EVERYONE,
  'participants.approve': ADMINS,
  'participants.revoke': ADMINS,
  'participants.rotateKeys': ANY_ROLE,
  'participants.get': ANY_ROLE,
  'participants.search': ADMINS,
  'directory.get': ANY_ROLE,
  'emergencyServers.list': ANY_ROLE,
  'records.put': AUTHORS,
  'records.get': ANY_ROLE,
  'records.history': ANY_ROLE,
  'records.verify': ANY_ROLE,
  'records.list': ANY_ROLE,
  'grants.create': PATIENT,
  'grants.list': ANY_ROLE,
  'grants.get': ANY_ROLE,
  'grants.fhir': ANY_ROLE,
  'grants.revoke': PATIENT,
  'grants.addKeys': AUTHORS,
  'grants.recipients': AUTHORS,
  'grants.patients': ANY_ROLE,
  'policy.set': PATIENT,
  'policy.get': ANY_ROLE,
  'sessions.open': ['attendant'],
  'sessions.list': ['attendant'],
  'sessions.get': ANY_ROLE,
  'sessions.reassign': ['attendant'],
  'sessions.close': ['attendant', 'collaborator'],
};

let nats: SecureTestNats;
let standIn: StandInServices;
let gw: TestGateway;

beforeAll(async () => {
  nats = await privateNats();
  gw = await startTestGateway(nats);
  standIn = await StandInServices.start(nats, gw.publicKey);
});

afterAll(async () => {
  await gw?.stop();
  await standIn?.stop();
  await nats?.stop();
});

describe('route access', () => {
  it('the expected table covers exactly the served routes and agrees with route.access', () => {
    expect(Object.keys(EXPECTED_ALLOWED).sort()).toEqual(routes.map((r) => r.id).sort());
    for (const route of routes) {
      const derived =
        route.access === 'public'
          ? EVERYONE
          : route.access === 'authenticated'
            ? ANY_ROLE
            : route.access;
      expect([...derived].sort(), route.id).toEqual(
        [...EXPECTED_ALLOWED[route.id as HttpRouteId]].sort(),
      );
    }
  });

  const cases = routes.flatMap((route) =>
    CALLERS.map((caller) => ({ id: route.id as HttpRouteId, caller })),
  );

  it.each(cases)('$id as $caller', async ({ id, caller }) => {
    const route = routeById(id);
    const allowed = EXPECTED_ALLOWED[id].includes(caller);
    const actor =
      caller === 'anonymous'
        ? undefined
        : { id: randomUUID(), role: caller, organizationId: randomUUID() };
    const requestId = `authz-${randomUUID()}`;
    const input = validInput(id);
    const result = await callRoute(gw.baseUrl, route, input, {
      requestId,
      ...(actor ? { token: await gw.token(actor) } : {}),
    });
    const forwarded = standIn.withRequestId(requestId);

    if (!allowed) {
      expect(result.status).toBe(caller === 'anonymous' ? 401 : 403);
      const body = ErrorBodySchema.parse(result.body);
      expect(body.code).toBe(caller === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
      expect(body.requestId).toBe(requestId);
      expect(forwarded).toEqual([]);
      return;
    }

    if (route.contract !== undefined) {
      expect(result.status).toBe(200);
      expect(result.body).toEqual(sampleOutput(route.contract.subject));
      expect(forwarded).toHaveLength(1);
      const [received] = forwarded;
      expect(received!.subject).toBe(route.contract.subject);
      // The actor travels only in the gateway's signed assertion, and public routes carry none,
      // even when the caller has a token.
      const carriesActor = actor !== undefined && route.access !== 'public';
      expect(received!.caller).toEqual({
        actor: carriesActor ? { ...actor, keyVersion: 1 } : undefined,
        via: undefined,
      });
      expect(received!.headers['x-actor-id']).toBeUndefined();
      return;
    }

    // Routes the gateway answers itself.
    expect(forwarded).toEqual([]);
    if (id === 'auth.challenge') expect(result.status).toBe(200);
    if (id === 'auth.whoami') {
      expect(result.status).toBe(200);
      expect(result.body).toEqual({
        participantId: actor!.id,
        role: actor!.role,
        organizationId: actor!.organizationId,
      });
    }
    if (id === 'auth.login') {
      // Past the access check, the login itself refuses the never-issued challenge.
      expect(result.status).toBe(401);
      expect(ErrorBodySchema.parse(result.body).message).toMatch(/challenge/);
    }
  });
});
