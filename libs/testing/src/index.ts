// Public surface of @sec-health/testing. Finding and starting PostgreSQL, NATS and anvil is
// @sec-health/local-infra's job; this library picks a source per test suite and cleans up.
export * from './errors.js';
export {
  provideDatabase,
  stopStartedPostgres,
  DEFAULT_LOCAL_DATABASE_URL,
  POSTGRES_IMAGE,
  START_POSTGRES_COMMAND,
  type ProvideDatabaseOptions,
  type TestDatabase,
} from './database.js';
export { connectionUsesTls, serverAcceptsTls, type SqlQueryable } from './postgres-tls.js';
export {
  provideNats,
  DEFAULT_LOCAL_NATS_URL,
  NATS_IMAGE,
  START_NATS_COMMAND,
  type ProvideNatsOptions,
  type TestNats,
} from './nats.js';
export {
  provideSecureNats,
  type ExtraNatsPrincipal,
  type ProvideSecureNatsOptions,
  type SecureNatsIdentity,
  type SecureTestNats,
} from './secure-nats.js';
export {
  provideChain,
  anvilAccounts,
  ANVIL_CHAIN_ID,
  ANVIL_MNEMONIC,
  type ProvideChainOptions,
  type TestAccount,
  type TestChain,
} from './chain.js';
export { dockerEngineAvailable } from './docker.js';
export {
  anvilBinaryPath,
  debianPostgresBinDirs,
  findExecutable,
  findPostgresBinDir,
  freePort,
  isProcessAlive,
  jsonRpc,
  probeNats,
  startProcess,
  waitUntil,
  type ExitInfo,
  type ManagedProcess,
  type StartProcessOptions,
} from '@sec-health/local-infra';
export { providePrivatePostgres, type PrivatePostgres } from './private-postgres.js';
export { DirectoryStandIn } from './directory-stand-in.js';
