// Public surface of @sec-health/testing.
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
export {
  provideNats,
  probeNats,
  DEFAULT_LOCAL_NATS_URL,
  NATS_IMAGE,
  START_NATS_COMMAND,
  type ProvideNatsOptions,
  type TestNats,
} from './nats.js';
export {
  provideChain,
  anvilAccounts,
  anvilBinaryPath,
  jsonRpc,
  ANVIL_CHAIN_ID,
  ANVIL_MNEMONIC,
  type ProvideChainOptions,
  type TestAccount,
  type TestChain,
} from './chain.js';
export { dockerEngineAvailable } from './docker.js';
export { debianPostgresBinDirs, findPostgresBinDir } from './postgres-process.js';
export {
  findExecutable,
  freePort,
  isProcessAlive,
  startProcess,
  waitUntil,
  type ExitInfo,
  type ManagedProcess,
  type StartProcessOptions,
} from './process.js';
