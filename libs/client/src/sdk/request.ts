import { ErrorCode, ProtocolError, parseOrThrow, type HttpRoute } from '@sec-health/protocol';

/** One HTTP request for a route, before the base URL and token are applied. */
export interface RequestPlan {
  readonly method: 'GET' | 'POST';
  /** Path with parameters filled in and, for GET, the query string. */
  readonly pathAndQuery: string;
  /** JSON text for POST; undefined for GET. */
  readonly body: string | undefined;
}

const PARAM = /\{([A-Za-z0-9_]+)\}/g;

/**
 * Validates `input` with the route's schema (so mistakes are reported before anything is sent),
 * fills the path parameters from it and puts the remaining fields in the query (GET) or the JSON
 * body (POST). The gateway merges the three back into one object and validates it again.
 */
export function buildRequest(route: HttpRoute, input: unknown): RequestPlan {
  const parsed = parseOrThrow(route.input, input ?? {}, `${route.id} request`) as Record<
    string,
    unknown
  >;
  const rest: Record<string, unknown> = { ...parsed };
  const path = route.path.replace(PARAM, (_match, name: string) => {
    const value = rest[name];
    if (typeof value !== 'string' || value.length === 0) {
      throw new ProtocolError(
        ErrorCode.ValidationFailed,
        `invalid ${route.id} request: ${name}: is required`,
        { issues: [{ path: name, problem: 'is required' }] },
      );
    }
    delete rest[name];
    return encodeURIComponent(value);
  });
  if (route.method === 'get') {
    return { method: 'GET', pathAndQuery: path + queryString(rest), body: undefined };
  }
  return { method: 'POST', pathAndQuery: path, body: JSON.stringify(rest) };
}

function queryString(fields: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    // List fields (records.list's category, ...) travel comma-separated; their schemas split them.
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      if (value.length > 0) query.append(key, value.join(','));
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new Error(`query field ${key} must be a string, number, boolean or list of strings`);
    }
    query.append(key, String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}
