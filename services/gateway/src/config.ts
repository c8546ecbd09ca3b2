import {
  limitsOf,
  loadConfig,
  natsConfigOf,
  serviceDevelopmentDefaults,
  serviceEnvironment,
  z,
  type LimitsConfig,
  type NatsConfig,
} from '@sec-health/service-kit';
import { SERVICE_NAMES } from '@sec-health/protocol';

const serviceName = /^[a-z][a-z0-9-]{0,62}$/;

export const GatewayConfigSchema = z.object({
  ...serviceEnvironment,
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
  /** The gateway's Ed25519 key (32-byte seed, base64url, in a 0600 file): signs sessions and actor assertions. */
  GATEWAY_SIGNING_KEY_FILE: z.string().min(1),
  GATEWAY_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(5_000),
  GATEWAY_ACTOR_STATUS_CACHE_MS: z.coerce.number().int().min(0).max(900_000).default(5_000),
  GATEWAY_SERVICES: z
    .string()
    .default(SERVICE_NAMES.join(','))
    .transform((raw) => [
      ...new Set(
        raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ])
    .refine(
      (names) => names.length > 0 && names.every((name) => serviceName.test(name)),
      'must be a comma-separated list of service names (lowercase letters, digits, dashes)',
    ),
  /** Requests per minute per client IP on each public route. */
  GATEWAY_IP_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(120),
  /** Challenges and logins per minute per participant. */
  GATEWAY_AUTH_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** Registrations per minute per client IP. */
  GATEWAY_REGISTER_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /** Requests per minute per authenticated participant on each route. */
  GATEWAY_ACTOR_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(300),
  GATEWAY_BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).max(16_777_216).default(65_536),
});

export interface RateLimits {
  readonly perIp: number;
  readonly perParticipantAuth: number;
  readonly registrationsPerIp: number;
  readonly perActor: number;
}

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  readonly nats: NatsConfig;
  readonly signingKeyFile: string;
  readonly requestTimeoutMs: number;
  /** How long a participant's "still active" answer is reused; the longest a revoked token works if its event is lost. */
  readonly actorStatusCacheMs: number;
  /** Services whose `<service>.health` the gateway asks on GET /health. */
  readonly services: readonly string[];
  readonly rateLimits: RateLimits;
  readonly limits: LimitsConfig;
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
}

/** Validates the environment once at start (ConfigError names every bad variable). */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const raw = loadConfig(GatewayConfigSchema, env, {
    developmentDefaults: serviceDevelopmentDefaults,
  });
  return {
    port: raw.GATEWAY_PORT,
    host: raw.GATEWAY_HOST,
    nats: natsConfigOf(raw),
    signingKeyFile: raw.GATEWAY_SIGNING_KEY_FILE,
    requestTimeoutMs: raw.GATEWAY_REQUEST_TIMEOUT_MS,
    actorStatusCacheMs: raw.GATEWAY_ACTOR_STATUS_CACHE_MS,
    services: raw.GATEWAY_SERVICES,
    rateLimits: {
      perIp: raw.GATEWAY_IP_RATE_LIMIT,
      perParticipantAuth: raw.GATEWAY_AUTH_RATE_LIMIT,
      registrationsPerIp: raw.GATEWAY_REGISTER_RATE_LIMIT,
      perActor: raw.GATEWAY_ACTOR_RATE_LIMIT,
    },
    limits: limitsOf(raw),
    bodyLimitBytes: raw.GATEWAY_BODY_LIMIT_BYTES,
    logLevel: raw.LOG_LEVEL,
  };
}
