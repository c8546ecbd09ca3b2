import { ErrorCode, ProtocolError } from '@sec-health/protocol';

export interface HttpInput {
  readonly params: Record<string, string>;
  readonly query: unknown;
  readonly body: unknown;
}

/**
 * Path parameters, query and (for POST) JSON body as the one object a route's schema validates.
 * A name given in two places is refused rather than silently letting one win.
 */
export function mergeInput(method: 'get' | 'post', input: HttpInput): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  const sources: [string, unknown][] = [
    ['path', input.params],
    ['query', input.query ?? {}],
    ['body', method === 'post' ? (input.body ?? {}) : {}],
  ];
  for (const [where, value] of sources) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ProtocolError(ErrorCode.ValidationFailed, `the ${where} must be a JSON object`, {
        issues: [{ path: '(root)', problem: `the ${where} must be a JSON object` }],
      });
    }
    for (const [key, field] of Object.entries(value)) {
      if (Object.hasOwn(merged, key)) {
        throw new ProtocolError(ErrorCode.ValidationFailed, `${key} is given more than once`, {
          issues: [{ path: key, problem: `given in the ${where} and before` }],
        });
      }
      // defineProperty: a `__proto__` key stays an own (and so refused) field, never a prototype.
      Object.defineProperty(merged, key, {
        value: field,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return merged;
}
