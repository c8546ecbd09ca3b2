import { ErrorCode, ProtocolError } from '@sec-health/protocol';

/**
 * Why a rule refuses a request: the error code the caller gets, a message for people, and where
 * a client can act on it a machine-readable `reason` (details.reason).
 */
export interface Refusal {
  readonly code: ErrorCode;
  readonly message: string;
  readonly reason?: RefusalReason;
}

export type RefusalReason =
  | 'BAD_SIGNATURE'
  | 'SIGNED_AT_SKEW'
  | 'BREAK_GLASS_OFF'
  | 'NOT_A_PATIENT'
  | 'NOT_A_COLLABORATOR'
  | 'PARTICIPANT_NOT_ACTIVE'
  | 'SESSION_ID_TAKEN'
  | 'SESSION_CLOSED'
  | 'SESSION_EXPIRED'
  | 'SAME_COLLABORATOR';

export const forbidden = (message: string, reason?: RefusalReason): Refusal => ({
  code: ErrorCode.Forbidden,
  message,
  ...(reason ? { reason } : {}),
});
export const notFound = (message: string): Refusal => ({ code: ErrorCode.NotFound, message });
export const invalid = (reason: RefusalReason, message: string): Refusal => ({
  code: ErrorCode.ValidationFailed,
  message,
  reason,
});
export const conflict = (reason: RefusalReason, message: string): Refusal => ({
  code: ErrorCode.Conflict,
  message,
  reason,
});

export function toProtocolError(refusal: Refusal): ProtocolError {
  return new ProtocolError(
    refusal.code,
    refusal.message,
    refusal.reason ? { reason: refusal.reason } : undefined,
  );
}

/** Throws the refusal as a ProtocolError; nothing when the rule allowed the request. */
export function enforce(refusal: Refusal | undefined): void {
  if (refusal) throw toProtocolError(refusal);
}
