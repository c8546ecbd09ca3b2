import { randomBytes } from 'node:crypto';

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  readonly natsUrl: string;
  /** HS256 key of the session tokens. */
  readonly jwtSecret: string;
  /** True when GATEWAY_JWT_SECRET was not set and a random per-process secret is used. */
  readonly jwtSecretGenerated: boolean;
  readonly requestTimeoutMs: number;
  /** How long a participant's "still active" answer is reused; the longest a revoked token works. */
  readonly actorStatusCacheMs: number;
  /** Services whose `<service>.health` the gateway asks on GET /health. */
  readonly services: readonly string[];
  /** Requests per minute and client IP on the auth routes. */
  readonly authRateLimitPerMinute: number;
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
}

/** A bad environment variable: the message names it and never echoes its value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`invalid configuration: ${variable} ${problem}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const MIN_SECRET_LENGTH = 32;

/** Reads and checks the gateway's environment once at start; throws ConfigError on the first bad variable. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const secret = read('GATEWAY_JWT_SECRET');
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError('GATEWAY_JWT_SECRET', `must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  return {
    port: integer(read, 'GATEWAY_PORT', 8080, 0, 65_535),
    host: read('GATEWAY_HOST') ?? '127.0.0.1',
    natsUrl: natsUrl(read('NATS_URL') ?? 'nats://127.0.0.1:4222'),
    // Without a configured secret every restart invalidates all tokens: fine for development only.
    jwtSecret: secret ?? randomBytes(32).toString('base64url'),
    jwtSecretGenerated: secret === undefined,
    requestTimeoutMs: integer(read, 'GATEWAY_REQUEST_TIMEOUT_MS', 5_000, 50, 120_000),
    actorStatusCacheMs: integer(read, 'GATEWAY_ACTOR_STATUS_CACHE_MS', 5_000, 0, 900_000),
    services: serviceList(read('GATEWAY_SERVICES') ?? 'authority'),
    authRateLimitPerMinute: integer(read, 'GATEWAY_AUTH_RATE_LIMIT', 20, 1, 1_000_000),
    bodyLimitBytes: integer(read, 'GATEWAY_BODY_LIMIT_BYTES', 65_536, 1_024, 16_777_216),
    logLevel: logLevel(read('GATEWAY_LOG_LEVEL') ?? 'info'),
  };
}

function integer(
  read: (name: string) => string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = read(name);
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

function natsUrl(raw: string): string {
  for (const server of raw.split(',')) {
    let url: URL;
    try {
      url = new URL(server.trim());
    } catch {
      throw new ConfigError('NATS_URL', 'must be a comma-separated list of nats:// or tls:// URLs');
    }
    if (!['nats:', 'tls:'].includes(url.protocol)) {
      throw new ConfigError('NATS_URL', 'must use the nats:// or tls:// scheme');
    }
  }
  return raw;
}

function serviceList(raw: string): string[] {
  const services = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (services.length === 0 || !services.every((s) => SERVICE_NAME.test(s))) {
    throw new ConfigError(
      'GATEWAY_SERVICES',
      'must be a comma-separated list of service names (lowercase letters, digits, dashes)',
    );
  }
  return [...new Set(services)];
}

function logLevel(raw: string): string {
  if (!LOG_LEVELS.includes(raw)) {
    throw new ConfigError('GATEWAY_LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return raw;
}
