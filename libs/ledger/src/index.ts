// Public surface of @sec-health/ledger.
export * from './errors.js';
export { isChainUnavailable } from './chain-unavailable.js';
export {
  consoleLogger,
  ledgerLoggerOf,
  type FieldsFirstLogger,
  type LedgerLogger,
} from './logger.js';
export { assertChain, createProvider, type ProviderOptions } from './provider.js';
export {
  readDeployment,
  writeDeployment,
  withAddressBookLock,
  type ChainDeployment,
} from './contracts/address-book.js';
export { connectContracts, type LedgerContracts } from './contracts/clients.js';
export { assertWriterRole } from './contracts/writer-role.js';
export {
  deployOrLocate,
  grantRole,
  locateContracts,
  type DeployOrLocateOptions,
  type LocateOptions,
} from './contracts/deploy.js';
export {
  ledgerCallEncoder,
  ledgerIntent,
  type LedgerCallArg,
  type LedgerCallArgs,
  type LedgerIntent,
  type SolidityArg,
} from './outbox/ledger-calls.js';
export { enqueueLedgerIntent } from './outbox/enqueue.js';
export type { DecodedRevert, EncodedCall, OutboxCallEncoder } from './outbox/outbox-call.js';
export { advisoryLockKey, OutboxSender, type OutboxSenderOptions } from './outbox/outbox-sender.js';
export { awaitAnchor, type AnchorReceipt } from './outbox/await-anchor.js';
export {
  runAnchoredStep,
  type AnchoredStepOptions,
  type AnchoredStepResult,
} from './outbox/anchored-step.js';
export {
  DEFAULT_TRAIL_MAX_BLOCKS,
  readPatientTrail,
  type TrailEntry,
  type TrailPage,
  type TrailQuery,
} from './trail/patient-trail.js';
