import { join } from 'node:path';

import {
  behindGatewayEnvironment,
  chainEnvironment,
  chainKeyVariable,
  databaseUrlVariable,
  fromRepoRoot,
  type LimitsConfig,
  limitsOf,
  loadConfig,
  type NatsConfig,
  natsConfigOf,
  serviceDevelopmentDefaults,
  z,
} from '@sec-health/service-kit';

/** anvil's account 1: DEVELOPMENT ONLY, publicly known. Set STORAGE_CHAIN_KEY anywhere else. */
const ANVIL_ACCOUNT_1_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

export const StorageConfigSchema = z.object({
  ...behindGatewayEnvironment,
  STORAGE_DATABASE_URL: databaseUrlVariable(),
  ...chainEnvironment,
  STORAGE_CHAIN_KEY: chainKeyVariable(ANVIL_ACCOUNT_1_KEY),
  SECHEALTH_HOME: z.string().default('.sec-health'),
  /** This instance's IPFS node (blocks, datastore, libp2p identity); default <SECHEALTH_HOME>/storage/ipfs. */
  STORAGE_IPFS_DIR: z.string().optional(),
  /** libp2p listen addresses, comma-separated multiaddrs (loopback in development). */
  STORAGE_IPFS_LISTEN: z.string().default('/ip4/127.0.0.1/tcp/0'),
  /** Extra IPFS peers to dial at start, comma-separated multiaddrs with /p2p/<peer id>. */
  STORAGE_IPFS_PEERS: z.string().default(''),
  /** How long an announced record may wait for its content, in minutes. */
  STORAGE_UPLOAD_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
});

const DEVELOPMENT_DEFAULTS = {
  ...serviceDevelopmentDefaults,
  STORAGE_CHAIN_KEY: "anvil's account 1, whose key is public",
};

export interface StorageConfig {
  readonly nats: NatsConfig;
  readonly gatewayPublicKey: string;
  readonly limits: LimitsConfig;
  readonly logLevel: string;
  readonly databaseUrl: string;
  readonly rpcUrl: string;
  readonly chainId: number;
  readonly chainKey: string;
  readonly addressBookPath: string;
  readonly ipfs: {
    readonly directory: string;
    readonly listen: readonly string[];
    readonly peers: readonly string[];
  };
  readonly uploadTtlMs: number;
}

export const STORAGE_SCHEMA = 'storage';
export const SERVICE_NAME = 'storage';

/** Validates the environment; throws ConfigError naming every bad variable. */
export function storageConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): StorageConfig {
  const raw = loadConfig(StorageConfigSchema, env, { developmentDefaults: DEVELOPMENT_DEFAULTS });
  return {
    nats: natsConfigOf(raw),
    gatewayPublicKey: raw.GATEWAY_PUBLIC_KEY,
    limits: limitsOf(raw),
    logLevel: raw.LOG_LEVEL,
    databaseUrl: raw.STORAGE_DATABASE_URL,
    rpcUrl: raw.CHAIN_RPC_URL,
    chainId: raw.CHAIN_ID,
    chainKey: raw.STORAGE_CHAIN_KEY,
    addressBookPath: fromRepoRoot(raw.LEDGER_ADDRESS_BOOK, cwd),
    ipfs: {
      directory: fromRepoRoot(
        raw.STORAGE_IPFS_DIR ?? join(raw.SECHEALTH_HOME, 'storage', 'ipfs'),
        cwd,
      ),
      listen: list(raw.STORAGE_IPFS_LISTEN),
      peers: list(raw.STORAGE_IPFS_PEERS),
    },
    uploadTtlMs: raw.STORAGE_UPLOAD_TTL_MINUTES * 60_000,
  };
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
