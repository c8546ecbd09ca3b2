import { randomBytes, randomUUID } from 'node:crypto';

import {
  httpRoutes,
  Role as RoleSchema,
  type HttpRoute,
  type HttpRouteId,
  type Role,
} from '@sec-health/protocol';

export const ROLES: readonly Role[] = RoleSchema.options;

export const b64 = (bytes: number): string => randomBytes(bytes).toString('base64url');

/** A valid input for every route (path, query and body merged), as a client would send it. */
export function validInput(id: HttpRouteId): Record<string, unknown> {
  const participantId = randomUUID();
  const keys = { signing: b64(32), encryption: b64(32) };
  // The gateway checks only the shape; the service that acts verifies the signature.
  const authorization = { signedAt: new Date().toISOString(), signature: b64(64) };
  switch (id) {
    case 'auth.challenge':
      return { participantId };
    case 'auth.login':
      return { participantId, challengeId: randomUUID(), signature: b64(64) };
    case 'auth.whoami':
      return {};
    case 'organizations.create':
      return { name: 'General Hospital', authorization };
    case 'participants.register':
      return { role: 'patient', keys, profile: { displayName: 'Ann Example' }, proof: b64(64) };
    case 'participants.approve':
      return { participantId, authorization };
    case 'participants.get':
    case 'directory.get':
      return { participantId };
    case 'participants.revoke':
      return { participantId, reason: 'left the organization', authorization };
    case 'participants.rotateKeys':
      return {
        participantId,
        keyVersion: 1,
        keys,
        signedAt: new Date().toISOString(),
        signature: b64(64),
        proof: b64(64),
      };
    case 'participants.search':
      return { role: 'patient', limit: '10' };
    case 'emergencyServers.list':
    case 'grants.patients':
      return {};
    case 'records.put':
      return putRecord();
    case 'records.get':
      return { recordId: randomUUID(), version: 1 };
    case 'records.verify':
      return { recordId: randomUUID(), version: 2 };
    case 'records.history':
      return { recordId: randomUUID() };
    case 'records.list':
      return {
        patientId: randomUUID(),
        category: ['allergies'],
        authorId: randomUUID(),
        limit: 20,
      };
    case 'grants.create':
      return createGrant();
    case 'grants.list':
      return { as: 'grantee', status: 'active', limit: 10 };
    case 'grants.get':
    case 'grants.fhir':
      return { consentId: randomUUID() };
    case 'grants.revoke':
      return { consentId: randomUUID(), signedAt: new Date().toISOString(), signature: b64(64) };
    case 'grants.addKeys':
      return { consentId: randomUUID(), keys: [grantKey()] };
    case 'grants.recipients':
      return { patientId: randomUUID(), category: 'allergies', recordId: randomUUID() };
    case 'policy.set':
      return setPolicy();
    case 'policy.get':
      return { patientId: randomUUID() };
    case 'sessions.open':
      return {
        opening: {
          sessionId: randomUUID(),
          patientId: randomUUID(),
          collaboratorId: randomUUID(),
          reasonCode: 'BTG',
          notes: 'unconscious, found at home',
          signedAt: new Date().toISOString(),
        },
        signature: b64(64),
      };
    case 'sessions.list':
      return { status: 'open' };
    case 'sessions.get':
      return { sessionId: randomUUID() };
    case 'sessions.reassign':
      return {
        sessionId: randomUUID(),
        collaboratorId: randomUUID(),
        signedAt: new Date().toISOString(),
        signature: b64(64),
      };
    case 'sessions.close':
      return {
        sessionId: randomUUID(),
        reason: 'completed',
        signedAt: new Date().toISOString(),
        signature: b64(64),
      };
  }
}

const wrappedKey = () => ({
  recipientId: randomUUID(),
  recipientKeyVersion: 1,
  wrappedKey: b64(81),
});

const grantKey = () => ({ recordId: randomUUID(), version: 1, wrappedKey: wrappedKey() });

/** The route's example with fresh ids, keys and signatures. */
function putRecord(): Record<string, unknown> {
  const example = structuredClone(routeById('records.put').example) as {
    signed: { metadata: Record<string, unknown> };
    shares: { index: number }[];
  };
  const serverIds = example.shares.map(() => randomUUID());
  const hash = `0x${randomBytes(32).toString('hex')}`;
  const metadata = {
    ...example.signed.metadata,
    recordId: randomUUID(),
    patientId: randomUUID(),
    authorId: randomUUID(),
    createdAt: new Date().toISOString(),
    ciphertextHash: hash,
    emergency: {
      threshold: 2,
      commitments: serverIds.map((serverId, i) => ({ index: i + 1, serverId, commitment: hash })),
    },
  };
  return {
    signed: { metadata, signature: b64(64), authorKeyVersion: 1 },
    keys: [wrappedKey()],
    shares: serverIds.map((serverId, i) => ({ index: i + 1, serverId, sealedShare: b64(82) })),
  };
}

function createGrant(): Record<string, unknown> {
  const now = Date.now();
  return {
    consent: {
      consentId: randomUUID(),
      patientId: randomUUID(),
      granteeId: randomUUID(),
      scope: { recordIds: [], categories: ['allergies'] },
      permission: 'read',
      purposeOfUse: 'treatment',
      validFrom: new Date(now).toISOString(),
      expiresAt: new Date(now + 90 * 24 * 3600_000).toISOString(),
      signedAt: new Date(now).toISOString(),
    },
    signature: b64(64),
    keys: [grantKey()],
  };
}

function setPolicy(): Record<string, unknown> {
  const patientId = randomUUID();
  const example = structuredClone(routeById('policy.set').example) as {
    policy: Record<string, unknown>;
  };
  return {
    patientId,
    policy: { ...example.policy, patientId, signedAt: new Date().toISOString() },
    signature: b64(64),
  };
}

export const routes = httpRoutes as readonly HttpRoute[];

export function routeById(id: HttpRouteId): HttpRoute {
  return routes.find((r) => r.id === id)!;
}

export interface CallOptions {
  readonly token?: string;
  readonly requestId?: string;
  /** Raw body text instead of JSON of the non-path input. */
  readonly rawBody?: string;
  readonly contentType?: string;
  readonly authorization?: string;
}

export interface CallResult {
  readonly status: number;
  readonly body: unknown;
  readonly requestId: string | null;
  readonly headers: Headers;
}

/** Calls `route` with `input` split the way the route takes it: path, then query (GET) or body. */
export async function callRoute(
  baseUrl: string,
  route: HttpRoute,
  input: Record<string, unknown>,
  options: CallOptions = {},
): Promise<CallResult> {
  const rest: Record<string, unknown> = { ...input };
  const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = rest[name];
    delete rest[name];
    return encodeURIComponent(String(value));
  });
  let url = `${baseUrl}${path}`;
  let body: string | undefined;
  if (route.method === 'get') {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(rest)) query.append(k, String(v));
    if ([...query].length > 0) url += `?${query.toString()}`;
  } else {
    body = options.rawBody ?? JSON.stringify(rest);
  }
  return send(url, route.method.toUpperCase(), body, options);
}

export async function send(
  url: string,
  method: string,
  body: string | undefined,
  options: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  if (options.requestId) headers['x-request-id'] = options.requestId;
  const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: the assertions on a typed body will say so.
  }
  return {
    status: response.status,
    body: parsed,
    requestId: response.headers.get('x-request-id'),
    headers: response.headers,
  };
}
