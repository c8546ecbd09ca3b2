// Public surface of @sec-health/service-kit: what every service (and the gateway) is built on.
export {
  ConfigError,
  ConfigErrorCode,
  DEVELOPMENT_CHAIN_ID,
  isDevelopment,
  loadConfig,
  type LoadConfigOptions,
} from './config.js';
export {
  behindGatewayEnvironment,
  limitsOf,
  natsConfigOf,
  serviceDevelopmentDefaults,
  serviceEnvironment,
  urlVariable,
  type LimitsConfig,
  type NatsConfig,
} from './common-config.js';
export { readSecretFile } from './secret-file.js';
export { chainEnvironment, chainKeyVariable, databaseUrlVariable } from './ledger-config.js';
export { fromRepoRoot } from './repo-paths.js';
export { createLogger, PinoNestLogger, type CreateLoggerOptions, type Logger } from './logger.js';
export {
  currentRequestContext,
  runWithRequestContext,
  type RequestContext,
} from './request-context.js';
export { natsConnectionOptions } from './nats-connection.js';
export {
  BareJsonDeserializer,
  BareReplySerializer,
  natsMicroserviceOptions,
  NOT_JSON,
  type NatsMicroserviceConfig,
} from './nats-options.js';
export { requireActor, type Actor } from './actor.js';
export {
  ActorAssertionSigner,
  ActorAssertionVerifier,
  bodyHash,
  type AssertedCaller,
} from './actor-assertion.js';
export { ConcurrencyLimiter, type LimiterStats } from './concurrency-limiter.js';
export {
  classify,
  conflictWhen,
  unavailableWhen,
  type ErrorClassifier,
} from './dependency-errors.js';
export { createServiceKit, type ServiceKit, type ServiceKitOptions } from './service-kit.js';
export {
  describeError,
  handle,
  handleHealth,
  type HandlerContext,
  type RequestInfo,
} from './handle.js';
export { EventPublisher } from './event-publisher.js';
export { InternalClient } from './internal-client.js';
export { ParticipantDirectory } from './participant-directory.js';
export { actorProblem, type ActorProblem } from './actor-check.js';
export {
  checkHealth,
  DEFAULT_HEALTH_TIMEOUT_MS,
  standardHealthChecks,
  withTimeout,
  type HealthCheck,
  type HealthDependencies,
} from './health.js';
export { onShutdownSignal, runMain } from './main-runner.js';
// Services declare their configuration schemas with the same zod the kit validates with.
export { z } from 'zod';
