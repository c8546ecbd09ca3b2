import { z } from 'zod';

/** A URL whose scheme is one of `protocols`; comma-separated lists when `list` (NATS clusters). */
export function urlVariable(protocols: readonly string[], list = false) {
  const one = (value: string): boolean =>
    URL.canParse(value.trim()) && protocols.includes(new URL(value.trim()).protocol);
  return z
    .string()
    .refine(
      (value) => (list ? value.split(',') : [value]).every(one),
      `must be ${list ? 'a comma-separated list of URLs' : 'a URL'} using ${protocols.join(' or ')}`,
    );
}

/** A readable file's path (checked when read, so the message can say what is wrong with it). */
const filePath = z.string().min(1);

/** A 32-byte Ed25519 public key as unpadded base64url. */
const publicKey = z
  .string()
  .regex(
    /^[A-Za-z0-9_-]{43}$/,
    'must be a 32-byte Ed25519 public key as base64url (43 characters)',
  );

/**
 * The variables every service shares: its NATS connection (credentials and TLS), the gateway's
 * public key for actor assertions, its bound on concurrent work, and its log level.
 */
export const serviceEnvironment = {
  NATS_URL: urlVariable(['nats:', 'tls:'], true).default('nats://127.0.0.1:4222'),
  /** The process's own NKey seed file (SU...), 0600. Unset: no credentials (development only). */
  NATS_NKEY_SEED_FILE: filePath.optional(),
  NATS_TLS_CA_FILE: filePath.optional(),
  NATS_TLS_CERT_FILE: filePath.optional(),
  NATS_TLS_KEY_FILE: filePath.optional(),
  MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(1).max(10_000).default(64),
  MAX_QUEUED_REQUESTS: z.coerce.number().int().min(0).max(100_000).default(256),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
} as const;

/** Services behind the gateway also verify its actor assertions. */
export const behindGatewayEnvironment = {
  ...serviceEnvironment,
  GATEWAY_PUBLIC_KEY: publicKey,
} as const;

/** Development-only defaults of the shared variables. */
export const serviceDevelopmentDefaults = {
  NATS_NKEY_SEED_FILE: 'no NATS credentials',
} as const;

export interface NatsConfig {
  readonly url: string;
  readonly nkeySeedFile: string | undefined;
  readonly tls: { caFile?: string; certFile?: string; keyFile?: string } | undefined;
}

export interface LimitsConfig {
  readonly maxConcurrent: number;
  readonly maxQueued: number;
}

type Shared = z.output<z.ZodObject<typeof serviceEnvironment>>;

export function natsConfigOf(raw: Shared): NatsConfig {
  const tls = {
    ...(raw.NATS_TLS_CA_FILE ? { caFile: raw.NATS_TLS_CA_FILE } : {}),
    ...(raw.NATS_TLS_CERT_FILE ? { certFile: raw.NATS_TLS_CERT_FILE } : {}),
    ...(raw.NATS_TLS_KEY_FILE ? { keyFile: raw.NATS_TLS_KEY_FILE } : {}),
  };
  const wantsTls = Object.keys(tls).length > 0 || raw.NATS_URL.includes('tls://');
  return {
    url: raw.NATS_URL,
    nkeySeedFile: raw.NATS_NKEY_SEED_FILE,
    tls: wantsTls ? tls : undefined,
  };
}

export function limitsOf(raw: Shared): LimitsConfig {
  return { maxConcurrent: raw.MAX_CONCURRENT_REQUESTS, maxQueued: raw.MAX_QUEUED_REQUESTS };
}
