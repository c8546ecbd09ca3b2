import {
  behindGatewayEnvironment,
  chainEnvironment,
  chainKeyVariable,
  databaseUrlVariable,
  fromRepoRoot,
  limitsOf,
  loadConfig,
  natsConfigOf,
  serviceDevelopmentDefaults,
  z,
  type LimitsConfig,
  type NatsConfig,
} from '@sec-health/service-kit';

/** anvil's account 0: DEVELOPMENT ONLY, publicly known. Set AUTHORITY_CHAIN_KEY anywhere else. */
const ANVIL_ACCOUNT_0_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
/**
 * anvil's accounts 1 (storage), 2 (sharing) and 3 (call-center): DEVELOPMENT ONLY, their keys
 * are public.
 */
const DEV_LEDGER_WRITERS =
  'ANCHOR_ROLE=0x70997970C51812dc3A010C7d01b50e0d17dc79C8,CONSENT_ROLE=0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC,SESSION_ROLE=0x90F79bf6EB2c4f870365E785982E1f101E93b906';
/** DEVELOPMENT ONLY default passphrase of the keystores; set the variables anywhere else. */
const DEV_PASSPHRASE = 'sec-health-dev-passphrase';

export const AuthorityConfigSchema = z.object({
  ...behindGatewayEnvironment,
  AUTHORITY_DATABASE_URL: databaseUrlVariable(),
  ...chainEnvironment,
  AUTHORITY_CHAIN_KEY: chainKeyVariable(ANVIL_ACCOUNT_0_KEY),
  SECHEALTH_HOME: z.string().default('.sec-health'),
  AUTHORITY_PASSPHRASE: z.string().min(8).default(DEV_PASSPHRASE),
  SECHEALTH_PASSPHRASE: z.string().min(8).default(DEV_PASSPHRASE),
  /** Registrations not approved within this many hours are deleted. */
  AUTHORITY_PENDING_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(7 * 24),
  /** At most this many registrations wait for approval per organization (and for patients). */
  AUTHORITY_MAX_PENDING_PER_ORGANIZATION: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(500),
  AUTHORITY_MAX_PENDING_PATIENTS: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  /**
   * Service accounts the authority grants their writer role at start, `ROLE=0xaddress` pairs
   * separated by commas (development: anvil's accounts 1 and 2 for storage and sharing).
   */
  AUTHORITY_LEDGER_WRITERS: z
    .string()
    .regex(
      /^((ANCHOR|CONSENT|SESSION|RELEASE|REVIEW)_ROLE=0x[0-9a-fA-F]{40})(,(ANCHOR|CONSENT|SESSION|RELEASE|REVIEW)_ROLE=0x[0-9a-fA-F]{40})*$|^$/,
      'must be ROLE=0xaddress pairs separated by commas, e.g. ANCHOR_ROLE=0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    )
    .default(DEV_LEDGER_WRITERS),
});

/** Defaults that are public knowledge, for development only (refused elsewhere). */
const DEVELOPMENT_DEFAULTS = {
  ...serviceDevelopmentDefaults,
  AUTHORITY_CHAIN_KEY: "anvil's account 0, whose key is public",
  AUTHORITY_PASSPHRASE: 'the built-in development passphrase',
  SECHEALTH_PASSPHRASE: 'the built-in development passphrase',
  AUTHORITY_LEDGER_WRITERS: "anvil's public accounts 1, 2 and 3",
};

export interface AuthorityConfig {
  readonly nats: NatsConfig;
  /** GATEWAY_PUBLIC_KEY: verifies the gateway's actor assertions. */
  readonly gatewayPublicKey: string;
  readonly limits: LimitsConfig;
  readonly logLevel: string;
  readonly pending: {
    readonly ttlHours: number;
    readonly maxPerOrganization: number;
    readonly maxPatients: number;
  };
  readonly databaseUrl: string;
  readonly rpcUrl: string;
  readonly chainId: number;
  readonly chainKey: string;
  /** Writer roles granted at start: [role, account]. */
  readonly ledgerWriters: readonly (readonly [LedgerWriterRole, string])[];
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

/** The setup command talks to the database and the chain only: no gateway key needed. */
const SetupConfigSchema = AuthorityConfigSchema.extend({
  GATEWAY_PUBLIC_KEY: AuthorityConfigSchema.shape.GATEWAY_PUBLIC_KEY.optional(),
});

/**
 * Validates the environment into a typed config; throws ConfigError naming every bad variable,
 * and outside development every variable left at a development-only default.
 */
export function authorityConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  purpose: 'service' | 'setup' = 'service',
): AuthorityConfig {
  const schema = purpose === 'setup' ? SetupConfigSchema : AuthorityConfigSchema;
  const raw = loadConfig(schema, env, { developmentDefaults: DEVELOPMENT_DEFAULTS });
  return {
    nats: natsConfigOf(raw),
    gatewayPublicKey: raw.GATEWAY_PUBLIC_KEY ?? '',
    limits: limitsOf(raw),
    logLevel: raw.LOG_LEVEL,
    pending: {
      ttlHours: raw.AUTHORITY_PENDING_TTL_HOURS,
      maxPerOrganization: raw.AUTHORITY_MAX_PENDING_PER_ORGANIZATION,
      maxPatients: raw.AUTHORITY_MAX_PENDING_PATIENTS,
    },
    databaseUrl: raw.AUTHORITY_DATABASE_URL,
    rpcUrl: raw.CHAIN_RPC_URL,
    chainId: raw.CHAIN_ID,
    chainKey: raw.AUTHORITY_CHAIN_KEY,
    ledgerWriters: parseLedgerWriters(raw.AUTHORITY_LEDGER_WRITERS),
    addressBookPath: fromRepoRoot(raw.LEDGER_ADDRESS_BOOK, cwd),
    home: fromRepoRoot(raw.SECHEALTH_HOME, cwd),
    attestationPassphrase: raw.AUTHORITY_PASSPHRASE,
    profilePassphrase: raw.SECHEALTH_PASSPHRASE,
  };
}

export type LedgerWriterRole =
  'ANCHOR_ROLE' | 'CONSENT_ROLE' | 'SESSION_ROLE' | 'RELEASE_ROLE' | 'REVIEW_ROLE';

function parseLedgerWriters(text: string): [LedgerWriterRole, string][] {
  if (text === '') return [];
  return text.split(',').map((pair) => {
    const [role, account] = pair.split('=') as [LedgerWriterRole, string];
    return [role, account];
  });
}
