// Public surface of @sec-health/local-infra: one implementation of finding, probing, starting and
// stopping local PostgreSQL, NATS and anvil, used by libs/testing (children) and by infra/*.mjs and
// tools/start.mjs (daemons, through the build in dist/).
export {
  LocalInfraError,
  LocalInfraErrorCode,
  describeError,
  isLocalInfraError,
  redactUrl,
} from './errors.js';
export {
  SBIN_DIRS,
  anvilBinaryPath,
  canExecute,
  debianPostgresBinDirs,
  debianPostgresCluster,
  findExecutable,
  findPostgresBinDir,
  natsServerPath,
  requireNatsServer,
  type DebianCluster,
} from './executables.js';
export {
  freePort,
  isProcessAlive,
  makeTempDir,
  startProcess,
  type ExitInfo,
  type ManagedProcess,
  type StartProcessOptions,
} from './child-process.js';
export { waitUntil, type WaitUntilOptions, type WatchedProcess } from './wait.js';
export {
  isRunningAs,
  readPidFile,
  startDetached,
  stopPid,
  type DetachedProcess,
  type StartDetachedOptions,
} from './detached.js';
export { runCommand, runCommandAsync, type RunCommandOptions } from './commands.js';
export { ensurePrivateDir, restrictToOwner, writePrivateFile } from './private-files.js';
export {
  chainIdOf,
  jsonRpc,
  probeChainId,
  probeNats,
  probePostgres,
  readNatsInfo,
  type NatsServerInfo,
  type ProbeNatsOptions,
} from './probes.js';
export {
  postgresUser,
  startPostgresDaemon,
  startPostgresProcess,
  stopPostgresDaemon,
  type PostgresDaemonRecord,
  type StartPostgresDaemonOptions,
  type StartPostgresProcessOptions,
  type StartedPostgres,
  type UnixUser,
} from './postgres.js';
export { checkoutDatabaseName, ensureDatabase } from './databases.js';
export {
  ANVIL_CHAIN_ID,
  anvilArgs,
  startAnvil,
  startAnvilDaemon,
  type AnvilDaemonLaunch,
  type AnvilLaunch,
} from './anvil.js';
export {
  assertPrincipalName,
  createNatsIdentity,
  natsIdentityFromSeed,
  type NatsIdentity,
} from './nats-identity.js';
export {
  natsServerConfig,
  type NatsServerConfigOptions,
  type NatsServerTls,
} from './nats-config.js';
export {
  loadOrCreateNatsCredentials,
  prepareNatsServer,
  seedFileOf,
  type NatsCredential,
  type PrepareNatsServerOptions,
  type PreparedNatsServer,
} from './nats-credentials.js';
export {
  reloadNatsServer,
  startNatsServer,
  startNatsServerDaemon,
  type NatsServerDaemonLaunch,
  type NatsServerLaunch,
  type StartedNatsServer,
} from './nats-server.js';
export { createDevCertificates, type DevCertificates, type DevCertificatesOptions } from './tls.js';
export {
  ed25519PublicKeyOfSeed,
  ensureEd25519SigningKey,
  type SigningKeyFile,
} from './signing-key.js';
export {
  envPrefixOf,
  processEnvironment,
  STACK_PROCESSES,
  type StackProcess,
  type StackSecrets,
} from './stack.js';
export {
  nextPermissionViolation,
  permissionViolationIn,
  subscriptionRefusal,
} from './nats-permission-errors.js';
