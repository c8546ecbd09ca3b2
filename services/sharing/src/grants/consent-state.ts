import type { Consent, ConsentScope, RecordCategory } from '@sec-health/protocol';

/** A consent as stored: what the patient signed, and whether it was revoked since. */
export interface ConsentState {
  readonly consent: Consent;
  readonly revokedAt: Date | null;
}

export type GrantStatus = 'active' | 'expired' | 'revoked';

/** revoked, else expired once expiresAt has passed, else active (also before validFrom). */
export function grantStatus(state: ConsentState, now: Date): GrantStatus {
  if (state.revokedAt !== null) return 'revoked';
  if (Date.parse(state.consent.expiresAt) <= now.getTime()) return 'expired';
  return 'active';
}

/** In effect right now: not revoked and validFrom <= now < expiresAt. */
export function inEffect(state: ConsentState, now: Date): boolean {
  const t = now.getTime();
  return (
    state.revokedAt === null &&
    Date.parse(state.consent.validFrom) <= t &&
    t < Date.parse(state.consent.expiresAt)
  );
}

/** The scope names the record, or its category. */
export function covers(
  scope: ConsentScope,
  category: RecordCategory,
  recordId: string | undefined,
): boolean {
  return (
    scope.categories.includes(category) ||
    (recordId !== undefined && scope.recordIds.includes(recordId))
  );
}
