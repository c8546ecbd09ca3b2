import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

import { loadConfig, z } from '@sec-health/service-kit';

/** anvil's account 0: DEVELOPMENT ONLY, publicly known. Set AUTHORITY_CHAIN_KEY anywhere else. */
const ANVIL_ACCOUNT_0_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
/** DEVELOPMENT ONLY default passphrase of the keystores; set the variables anywhere else. */
const DEV_PASSPHRASE = 'sec-health-dev-passphrase';

const url = (protocols: readonly string[]) =>
  z
    .string()
    .refine((value) => URL.canParse(value), 'must be a URL')
    .refine(
      (value) => protocols.includes(new URL(value).protocol),
      `must use ${protocols.join(' or ')}`,
    );

export const AuthorityConfigSchema = z.object({
  NATS_URL: url(['nats:', 'tls:']).default('nats://127.0.0.1:4222'),
  AUTHORITY_DATABASE_URL: url(['postgres:', 'postgresql:']).default(
    'postgres://postgres@127.0.0.1:5432/postgres',
  ),
  CHAIN_RPC_URL: url(['http:', 'https:']).default('http://127.0.0.1:8545'),
  CHAIN_ID: z.coerce.number().int().positive().default(31337),
  AUTHORITY_CHAIN_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 0x-prefixed 32-byte hex private key')
    .default(ANVIL_ACCOUNT_0_KEY),
  LEDGER_ADDRESS_BOOK: z.string().default('.sec-health/contracts.json'),
  SECHEALTH_HOME: z.string().default('.sec-health'),
  AUTHORITY_PASSPHRASE: z.string().min(8).default(DEV_PASSPHRASE),
  SECHEALTH_PASSPHRASE: z.string().min(8).default(DEV_PASSPHRASE),
});

export interface AuthorityConfig {
  readonly natsUrl: string;
  readonly databaseUrl: string;
  readonly rpcUrl: string;
  readonly chainId: number;
  readonly chainKey: string;
  readonly addressBookPath: string;
  readonly home: string;
  readonly attestationPassphrase: string;
  /** Passphrase of the keystores the setup command writes into CLI profiles. */
  readonly profilePassphrase: string;
}

export const AUTHORITY_SCHEMA = 'authority';
export const SERVICE_NAME = 'authority';
/** The local development chain: the only one where the authority deploys contracts afresh. */
export const DEV_CHAIN_ID = 31337;

/** Validates the environment (throws ConfigError naming the variable) into a typed config. */
export function authorityConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): AuthorityConfig {
  const raw = loadConfig(AuthorityConfigSchema, env);
  const base = repoRoot(cwd) ?? cwd;
  return {
    natsUrl: raw.NATS_URL,
    databaseUrl: raw.AUTHORITY_DATABASE_URL,
    rpcUrl: raw.CHAIN_RPC_URL,
    chainId: raw.CHAIN_ID,
    chainKey: raw.AUTHORITY_CHAIN_KEY,
    addressBookPath: fromBase(base, raw.LEDGER_ADDRESS_BOOK),
    home: fromBase(base, raw.SECHEALTH_HOME),
    attestationPassphrase: raw.AUTHORITY_PASSPHRASE,
    profilePassphrase: raw.SECHEALTH_PASSPHRASE,
  };
}

function fromBase(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}

// `npm start -w services/authority` runs with the service folder as cwd; relative paths are
// meant from the repository root, the folder whose package.json declares the workspaces.
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
