/**
 * `@sec-health/contracts`: the Sec-Health ledger contracts' ABIs, bytecode, typechain (ethers v6)
 * bindings, role ids, custom error names and enum values. The bindings in `./generated` are build
 * output of `scripts/compile.mjs` (run `npx nx run contracts:generate`), never edited by hand.
 */
export {
  ConsentLedger__factory,
  EmergencyAccessLog__factory,
  ParticipantRegistry__factory,
  RecordRegistry__factory,
} from './generated/typechain/index.js';
export type {
  ConsentLedger,
  EmergencyAccessLog,
  ParticipantRegistry,
  RecordRegistry,
} from './generated/typechain/index.js';
export type {
  ConsentLedgerInterface,
  ConsentGrantedEvent,
  ConsentRevokedEvent,
  PolicySetEvent,
} from './generated/typechain/ConsentLedger.js';
export type {
  EmergencyAccessLogInterface,
  SessionClosedEvent,
  SessionOpenedEvent,
  SessionReassignedEvent,
  SessionReviewedEvent,
  SharesReleasedEvent,
} from './generated/typechain/EmergencyAccessLog.js';
export type {
  ParticipantAttestedEvent,
  ParticipantRegistryInterface,
  ParticipantRevokedEvent,
  ParticipantUpdatedEvent,
} from './generated/typechain/ParticipantRegistry.js';
export type {
  RecordAnchoredEvent,
  RecordRegistryInterface,
} from './generated/typechain/RecordRegistry.js';
export type {
  TypedContractEvent,
  TypedDeferredTopicFilter,
  TypedEventLog,
  TypedLogDescription,
} from './generated/typechain/common.js';

export {
  type ContractErrorName,
  type ContractName,
  type ContractWriteName,
  contractArtifacts,
  contractNames,
} from './artifacts.js';
export {
  ContractsArgumentError,
  type PatientAuditFilterArgs,
  patientAuditFilter,
} from './audit-filter.js';
export {
  CloseReason,
  ConsentStatus,
  ParticipantStatus,
  ReviewOutcome,
  SessionStatus,
} from './enums.js';
export { type LedgerErrorName, LedgerErrors, duplicateErrors } from './errors.js';
export { type RoleName, Roles, contractRoles } from './roles.js';
