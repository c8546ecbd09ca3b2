// Public surface of @sec-health/client: the SDK, the profile store and the CLI entry for tests.
export * from './errors.js';
export * from './sdk/client.js';
export * from './sdk/proofs.js';
export * from './sdk/admin-actions.js';
export * from './sdk/keys.js';
export { buildRequest, type RequestPlan } from './sdk/request.js';
export type { RouteInput, RouteOutput } from './sdk/routes.js';
export type { FetchFunction } from './sdk/transport.js';
export * from './profile/profile.js';
export * from './profile/profile-store.js';
export { runCli, type CliIo } from './cli/run-cli.js';
export {
  RecordFlows,
  type Me,
  type NewRecord,
  type OpenedRecord,
  type Progress,
} from './sdk/records/record-flows.js';
export { GrantFlows, type NewGrant, type Revocation } from './sdk/records/grant-flows.js';
export {
  buildRecordVersion,
  type BuiltRecordVersion,
  type KeyHolder,
  type RecordVersionDraft,
} from './sdk/records/build-version.js';
export { assertAuthentic, openRecordVersion } from './sdk/records/open-version.js';
export { validateFhirRecord } from './sdk/records/fhir-validation.js';
export { recordKeyContext, emergencyShareContext } from './sdk/records/wrap-contexts.js';
export { downloadContent, uploadContent } from './sdk/content-transport.js';
export { SessionFlows, type NewSession } from './sdk/sessions/session-flows.js';
