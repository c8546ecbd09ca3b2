import type { z } from 'zod';

import { ErrorCode, ProtocolError } from './errors.js';

const MAX_ISSUES = 20;

/**
 * Parses `input` with `schema`, or throws ProtocolError(VALIDATION_FAILED) whose details list
 * each problem by path (`profile.displayName: Too big...`). Values are never echoed back.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, MAX_ISSUES).map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    problem: issue.message,
  }));
  throw new ProtocolError(
    ErrorCode.ValidationFailed,
    `invalid ${what}: ${issues.map((i) => `${i.path}: ${i.problem}`).join('; ')}`,
    { issues },
  );
}
