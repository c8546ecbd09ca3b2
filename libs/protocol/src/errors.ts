import { CodedError, errorGuard } from '@sec-health/errors';
import { z } from 'zod';

/** Every error a service or the gateway answers with (DESIGN.md section 8). */
export const ErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  RateLimited: 'RATE_LIMITED',
  /** The service is at its bound of concurrent work: retry shortly. */
  Overloaded: 'OVERLOADED',
  DependencyUnavailable: 'DEPENDENCY_UNAVAILABLE',
  /** What is stored no longer matches its signature or its chain anchor: never served as valid. */
  IntegrityMismatch: 'INTEGRITY_MISMATCH',
  Internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  OVERLOADED: 503,
  DEPENDENCY_UNAVAILABLE: 503,
  INTEGRITY_MISMATCH: 409,
  INTERNAL: 500,
};

export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

export const ErrorBodySchema = z
  .object({
    code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** A typed failure that crosses a boundary as an ErrorBody; never carries secrets or payloads. */
export class ProtocolError extends CodedError<ErrorCode> {
  toBody(requestId?: string): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
      ...(requestId ? { requestId } : {}),
    };
  }

  static fromBody(body: ErrorBody): ProtocolError {
    return new ProtocolError(body.code, body.message, body.details);
  }
}

export const isProtocolError = errorGuard(ProtocolError);
