import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

import {
  behindGatewayEnvironment,
  limitsOf,
  loadConfig,
  natsConfigOf,
  serviceDevelopmentDefaults,
  urlVariable,
  z,
  type LimitsConfig,
  type NatsConfig,
} from '@sec-health/service-kit';

/** anvil's account 2: DEVELOPMENT ONLY, publicly known. Set SHARING_CHAIN_KEY anywhere else. */
const ANVIL_ACCOUNT_2_KEY = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a';

export const SharingConfigSchema = z.object({
  ...behindGatewayEnvironment,
  SHARING_DATABASE_URL: urlVariable(['postgres:', 'postgresql:']).default(
    'postgres://postgres@127.0.0.1:5432/postgres',
  ),
  CHAIN_RPC_URL: urlVariable(['http:', 'https:']).default('http://127.0.0.1:8545'),
  CHAIN_ID: z.coerce.number().int().positive().default(31337),
  SHARING_CHAIN_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 0x-prefixed 32-byte hex private key')
    .default(ANVIL_ACCOUNT_2_KEY),
  LEDGER_ADDRESS_BOOK: z.string().default('.sec-health/contracts.json'),
});

/** Defaults that are public knowledge, for development only (refused elsewhere). */
const DEVELOPMENT_DEFAULTS = {
  ...serviceDevelopmentDefaults,
  SHARING_CHAIN_KEY: "anvil's account 2, whose key is public",
};

export interface SharingConfig {
  readonly nats: NatsConfig;
  /** GATEWAY_PUBLIC_KEY: verifies the gateway's actor assertions. */
  readonly gatewayPublicKey: string;
  readonly limits: LimitsConfig;
  readonly logLevel: string;
  readonly databaseUrl: string;
  readonly rpcUrl: string;
  readonly chainId: number;
  /** The account that holds CONSENT_ROLE on ConsentLedger and sends the outbox. */
  readonly chainKey: string;
  readonly addressBookPath: string;
}

export const SHARING_SCHEMA = 'sharing';
export const SERVICE_NAME = 'sharing';

/**
 * Validates the environment into a typed config; throws ConfigError naming every bad variable,
 * and outside development every variable left at a development-only default.
 */
export function sharingConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): SharingConfig {
  const raw = loadConfig(SharingConfigSchema, env, { developmentDefaults: DEVELOPMENT_DEFAULTS });
  const base = repoRoot(cwd) ?? cwd;
  return {
    nats: natsConfigOf(raw),
    gatewayPublicKey: raw.GATEWAY_PUBLIC_KEY,
    limits: limitsOf(raw),
    logLevel: raw.LOG_LEVEL,
    databaseUrl: raw.SHARING_DATABASE_URL,
    rpcUrl: raw.CHAIN_RPC_URL,
    chainId: raw.CHAIN_ID,
    chainKey: raw.SHARING_CHAIN_KEY,
    addressBookPath: isAbsolute(raw.LEDGER_ADDRESS_BOOK)
      ? raw.LEDGER_ADDRESS_BOOK
      : resolve(base, raw.LEDGER_ADDRESS_BOOK),
  };
}

// `npm start -w services/sharing` runs with the service folder as cwd; relative paths are meant
// from the repository root, the folder whose package.json declares the workspaces.
function repoRoot(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown }).workspaces) {
          return dir;
        }
      } catch {
        // not a readable manifest: keep looking upwards
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}
