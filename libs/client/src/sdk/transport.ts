import { ErrorBodySchema, ProtocolError, type HttpRoute } from '@sec-health/protocol';

import { ClientError, ClientErrorCode, gatewayUnreachable } from '../errors.js';
import type { RequestPlan } from './request.js';

export type FetchFunction = typeof globalThis.fetch;

export interface TransportOptions {
  readonly apiUrl: string;
  readonly fetch: FetchFunction;
  readonly timeoutMs: number;
}

/**
 * Sends one planned request and returns the response body validated by the route's output
 * schema. Throws ProtocolError for a contract error body, ClientError(GatewayUnreachable) when
 * nothing answers in time, ClientError(UnexpectedResponse) for anything else.
 */
export async function send(
  options: TransportOptions,
  route: HttpRoute,
  plan: RequestPlan,
  token: string | undefined,
): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (plan.body !== undefined) headers['content-type'] = 'application/json';
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const signal = AbortSignal.timeout(options.timeoutMs);

  let status: number;
  let text: string;
  try {
    const response = await options.fetch(options.apiUrl + plan.pathAndQuery, {
      method: plan.method,
      headers,
      body: plan.body,
      signal,
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    throw gatewayUnreachable(options.apiUrl, error, signal.aborted);
  }

  const body = parseJson(text);
  if (status >= 400) throw errorFrom(options.apiUrl, route, status, body);
  const result = route.output.safeParse(body);
  if (!result.success) {
    throw unexpected(options.apiUrl, route, status, 'a response that does not match the contract');
  }
  return result.data;
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorFrom(apiUrl: string, route: HttpRoute, status: number, body: unknown): Error {
  const parsed = ErrorBodySchema.safeParse(body);
  if (parsed.success) return ProtocolError.fromBody(parsed.data);
  return unexpected(apiUrl, route, status, 'no Sec-Health error body');
}

function unexpected(apiUrl: string, route: HttpRoute, status: number, what: string): ClientError {
  return new ClientError(
    ClientErrorCode.UnexpectedResponse,
    `the server at ${apiUrl} answered ${route.id} with HTTP ${status} and ${what}: is it the Sec-Health gateway, and the same version as this client?`,
    { apiUrl, route: route.id, status },
  );
}
