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
  }
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
