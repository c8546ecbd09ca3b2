// Public surface of @sec-health/service-kit.
export { ConfigError, loadConfig } from './config.js';
export { createLogger, PinoNestLogger, type CreateLoggerOptions, type Logger } from './logger.js';
export {
  currentRequestContext,
  runWithRequestContext,
  type RequestContext,
} from './request-context.js';
export {
  LenientNatsDeserializer,
  natsMicroserviceOptions,
  NOT_JSON,
  type NatsMicroserviceConfig,
} from './nats-options.js';
export {
  readRequestHeaders,
  requireActor,
  type Actor,
  type HeaderReader,
  type RequestHeaders,
} from './actor.js';
export { handle, type HandleOptions, type HandlerContext } from './handle.js';
export {
  checkHealth,
  DEFAULT_HEALTH_TIMEOUT_MS,
  HealthRequest,
  standardHealthChecks,
  type HealthCheck,
  type HealthDependencies,
} from './health.js';
export { onShutdownSignal, runMain } from './main-runner.js';
export { withTimeout } from './health.js';
// Services declare their configuration schemas with the same zod the kit validates with.
export { z } from 'zod';
