import { ZeroHash, id } from 'ethers';

import type { ContractName } from './artifacts.js';

/**
 * Role ids (keccak256 of the role name, as in the contracts; DEFAULT_ADMIN_ROLE is zero). The
 * authority holds DEFAULT_ADMIN_ROLE and grants the writer roles to service accounts.
 */
export const Roles = {
  DEFAULT_ADMIN_ROLE: ZeroHash,
  /** ParticipantRegistry writer: the authority service. */
  ATTESTER_ROLE: id('ATTESTER_ROLE'),
  /** RecordRegistry writer: the storage service. */
  ANCHOR_ROLE: id('ANCHOR_ROLE'),
  /** ConsentLedger writer: the sharing service. */
  CONSENT_ROLE: id('CONSENT_ROLE'),
  /** EmergencyAccessLog: opens and closes sessions (call-center service). */
  SESSION_ROLE: id('SESSION_ROLE'),
  /** EmergencyAccessLog: logs share releases (each emergency server). */
  RELEASE_ROLE: id('RELEASE_ROLE'),
  /** EmergencyAccessLog: logs the patient's review (sharing / patient-facing service). */
  REVIEW_ROLE: id('REVIEW_ROLE'),
} as const;

export type RoleName = keyof typeof Roles;

/** Writer roles of each contract. */
export const contractRoles = {
  ParticipantRegistry: ['ATTESTER_ROLE'],
  RecordRegistry: ['ANCHOR_ROLE'],
  ConsentLedger: ['CONSENT_ROLE'],
  EmergencyAccessLog: ['SESSION_ROLE', 'RELEASE_ROLE', 'REVIEW_ROLE'],
} as const satisfies Record<ContractName, readonly RoleName[]>;
