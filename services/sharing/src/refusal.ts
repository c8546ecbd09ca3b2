import { ErrorCode, ProtocolError } from '@sec-health/protocol';

/**
 * Why a rule refuses a request: the error code the caller gets, a message for people, and for
 * VALIDATION_FAILED and CONFLICT a machine-readable `reason` (details.reason).
 */
export interface Refusal {
  readonly code: ErrorCode;
  readonly message: string;
  readonly reason?: RefusalReason;
}

export type RefusalReason =
  | 'BAD_SIGNATURE'
  | 'SIGNED_AT_SKEW'
  | 'EXPIRED'
  | 'WRONG_RECIPIENT'
  | 'STALE_RECIPIENT_KEY'
  | 'OUT_OF_SCOPE'
  | 'DUPLICATE_KEY'
  | 'GRANTEE_NOT_ELIGIBLE'
  | 'GRANTEE_NOT_ACTIVE'
  | 'PATIENT_MISMATCH'
  | 'CONSENT_ID_TAKEN'
  | 'GRANT_NOT_ACTIVE'
  | 'POLICY_VERSION_NOT_INCREASING';

export const forbidden = (message: string): Refusal => ({ code: ErrorCode.Forbidden, message });
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
