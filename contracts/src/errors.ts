import type { ContractErrorName, ContractName, ContractWriteName } from './artifacts.js';

/** Every custom error of the four contracts (their own and AccessControl's). */
export type LedgerErrorName = { [C in ContractName]: ContractErrorName<C> }[ContractName];

/**
 * Custom error names as constants, e.g. `LedgerErrors.RecordAlreadyAnchored`, for comparing with
 * `iface.parseError(data)?.name`. The type makes the compiler reject a missing or unknown name.
 */
export const LedgerErrors = {
  AccessControlBadConfirmation: 'AccessControlBadConfirmation',
  AccessControlUnauthorizedAccount: 'AccessControlUnauthorizedAccount',
  ZeroValue: 'ZeroValue',
  InvalidValidity: 'InvalidValidity',
  ParticipantAlreadyAttested: 'ParticipantAlreadyAttested',
  ParticipantAlreadyRevoked: 'ParticipantAlreadyRevoked',
  ParticipantNotFound: 'ParticipantNotFound',
  RecordAlreadyAnchored: 'RecordAlreadyAnchored',
  RecordPatientMismatch: 'RecordPatientMismatch',
  BatchLengthMismatch: 'BatchLengthMismatch',
  BatchTooLarge: 'BatchTooLarge',
  ConsentAlreadyGranted: 'ConsentAlreadyGranted',
  ConsentAlreadyRevoked: 'ConsentAlreadyRevoked',
  ConsentNotGranted: 'ConsentNotGranted',
  PolicyVersionNotIncreasing: 'PolicyVersionNotIncreasing',
  InvalidExpiry: 'InvalidExpiry',
  SameCollaborator: 'SameCollaborator',
  SessionAlreadyClosed: 'SessionAlreadyClosed',
  SessionAlreadyExists: 'SessionAlreadyExists',
  SessionAlreadyReviewed: 'SessionAlreadyReviewed',
  SessionExpired: 'SessionExpired',
  SessionNotExpired: 'SessionNotExpired',
  SessionNotFound: 'SessionNotFound',
  SessionStillOpen: 'SessionStillOpen',
  SharesAlreadyReleased: 'SharesAlreadyReleased',
} as const satisfies { [N in LedgerErrorName]: N };

/**
 * The error each writer function reverts with when it is sent again after it was mined, i.e.
 * what an outbox retry sees for an "already anchored" row. It proves the id was taken, not that
 * the stored values are the row's. For setPolicy it also means a newer version is on chain
 * (compare its `currentVersion` argument); for reassignSession, that the session already has that
 * collaborator. updateParticipant has none: it can repeat. Nor has anchorRecords: sent again, it
 * skips the elements already anchored with the same values.
 */
export const duplicateErrors = {
  ParticipantRegistry: {
    attestParticipant: 'ParticipantAlreadyAttested',
    revokeParticipant: 'ParticipantAlreadyRevoked',
  },
  RecordRegistry: { anchorRecord: 'RecordAlreadyAnchored' },
  ConsentLedger: {
    grantConsent: 'ConsentAlreadyGranted',
    revokeConsent: 'ConsentAlreadyRevoked',
    setPolicy: 'PolicyVersionNotIncreasing',
  },
  EmergencyAccessLog: {
    openSession: 'SessionAlreadyExists',
    reassignSession: 'SameCollaborator',
    releaseShares: 'SharesAlreadyReleased',
    closeSession: 'SessionAlreadyClosed',
    reviewSession: 'SessionAlreadyReviewed',
  },
} as const satisfies {
  [C in ContractName]: Partial<Record<ContractWriteName<C>, ContractErrorName<C>>>;
};
