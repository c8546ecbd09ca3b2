/** `ParticipantRegistry.ParticipantStatus`. */
export const ParticipantStatus = { None: 0, Active: 1, Revoked: 2 } as const;
export type ParticipantStatus = (typeof ParticipantStatus)[keyof typeof ParticipantStatus];

/** `ConsentLedger.ConsentStatus`. */
export const ConsentStatus = { None: 0, Granted: 1, Revoked: 2 } as const;
export type ConsentStatus = (typeof ConsentStatus)[keyof typeof ConsentStatus];

/** `EmergencyAccessLog.SessionStatus`; Expired is reported by the view, never stored. */
export const SessionStatus = { None: 0, Open: 1, Closed: 2, Expired: 3 } as const;
export type SessionStatus = (typeof SessionStatus)[keyof typeof SessionStatus];

/** `EmergencyAccessLog.CloseReason` (the `closeReason` of SessionClosed). */
export const CloseReason = { None: 0, Completed: 1, Cancelled: 2, Expired: 3 } as const;
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason];

/** `EmergencyAccessLog.ReviewOutcome` (the `outcome` of SessionReviewed). */
export const ReviewOutcome = { None: 0, Acknowledged: 1, Disputed: 2 } as const;
export type ReviewOutcome = (typeof ReviewOutcome)[keyof typeof ReviewOutcome];
