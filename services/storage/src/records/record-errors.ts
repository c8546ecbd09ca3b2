import { ErrorCode, ProtocolError, type Integrity } from '@sec-health/protocol';

/** The storage service's refusals, each a coded ProtocolError with a reason where one helps. */
export function forbidden(message: string, reason?: string): ProtocolError {
  return new ProtocolError(ErrorCode.Forbidden, message, reason ? { reason } : undefined);
}

export function notFound(message: string): ProtocolError {
  return new ProtocolError(ErrorCode.NotFound, message);
}

export function conflict(message: string, reason?: string): ProtocolError {
  return new ProtocolError(ErrorCode.Conflict, message, reason ? { reason } : undefined);
}

export function invalid(path: string, problem: string, reason?: string): ProtocolError {
  return new ProtocolError(ErrorCode.ValidationFailed, `invalid record: ${path} ${problem}`, {
    ...(reason ? { reason } : {}),
    issues: [{ path, problem }],
  });
}

export function integrityMismatch(integrity: Integrity): ProtocolError {
  return new ProtocolError(
    ErrorCode.IntegrityMismatch,
    `the stored record does not match its chain anchor: ${integrity.problems.join('; ')}`,
    { reason: 'INTEGRITY_MISMATCH', problems: integrity.problems },
  );
}
