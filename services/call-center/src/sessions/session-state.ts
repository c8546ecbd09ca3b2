import type { SessionStatus } from '@sec-health/protocol';

/** What the access rules need of a stored session. */
export interface SessionState {
  readonly patientId: string;
  readonly organizationId: string;
  readonly collaboratorId: string;
  /** As stored: an open session past its expiry stays `open` until the sweep closes it. */
  readonly status: SessionStatus;
  readonly expiresAt: Date;
}

/** The status callers see: an open session at or past its expiry is expired already. */
export function effectiveStatus(state: SessionState, now: Date): SessionStatus {
  if (state.status === 'open' && state.expiresAt.getTime() <= now.getTime()) return 'expired';
  return state.status;
}
