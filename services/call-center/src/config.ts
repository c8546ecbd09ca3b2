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

/** anvil's account 3: DEVELOPMENT ONLY, publicly known. Set CALLCENTER_CHAIN_KEY anywhere else. */
const ANVIL_ACCOUNT_3_KEY = '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6';

export const CallCenterConfigSchema = z.object({
  ...behindGatewayEnvironment,
  CALLCENTER_DATABASE_URL: databaseUrlVariable(),
  ...chainEnvironment,
  CALLCENTER_CHAIN_KEY: chainKeyVariable(ANVIL_ACCOUNT_3_KEY),
  /**
   * How long an opening waits for SessionOpened's receipt; below the gateway's request timeout
   * (5 s by default), so the attendant gets the call-center's "ledger unavailable", not a timeout.
   */
  CALLCENTER_ANCHOR_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(3_000),
  /** A session's length, capped by the patient's policy (maxSessionMinutes). */
  CALLCENTER_DEFAULT_SESSION_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(60),
  /** How often open sessions past their expiry are closed. */
  CALLCENTER_EXPIRY_SWEEP_MS: z.coerce.number().int().min(50).max(3_600_000).default(15_000),
});

/** Defaults that are public knowledge, for development only (refused elsewhere). */
const DEVELOPMENT_DEFAULTS = {
  ...serviceDevelopmentDefaults,
  CALLCENTER_CHAIN_KEY: "anvil's account 3, whose key is public",
};

export interface CallCenterConfig {
  readonly nats: NatsConfig;
  /** GATEWAY_PUBLIC_KEY: verifies the gateway's actor assertions. */
  readonly gatewayPublicKey: string;
  readonly limits: LimitsConfig;
  readonly logLevel: string;
  readonly databaseUrl: string;
  readonly rpcUrl: string;
  readonly chainId: number;
  /** The account that holds SESSION_ROLE on EmergencyAccessLog and sends the outbox. */
  readonly chainKey: string;
  readonly addressBookPath: string;
  readonly anchorTimeoutMs: number;
  readonly defaultSessionMinutes: number;
  readonly expirySweepMs: number;
}

export const CALLCENTER_SCHEMA = 'callcenter';
export const SERVICE_NAME = 'callcenter';

/**
 * Validates the environment into a typed config; throws ConfigError naming every bad variable,
 * and outside development every variable left at a development-only default.
 */
export function callCenterConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): CallCenterConfig {
  const raw = loadConfig(CallCenterConfigSchema, env, {
    developmentDefaults: DEVELOPMENT_DEFAULTS,
  });
  return {
    nats: natsConfigOf(raw),
    gatewayPublicKey: raw.GATEWAY_PUBLIC_KEY,
    limits: limitsOf(raw),
    logLevel: raw.LOG_LEVEL,
    databaseUrl: raw.CALLCENTER_DATABASE_URL,
    rpcUrl: raw.CHAIN_RPC_URL,
    chainId: raw.CHAIN_ID,
    chainKey: raw.CALLCENTER_CHAIN_KEY,
    addressBookPath: fromRepoRoot(raw.LEDGER_ADDRESS_BOOK, cwd),
    anchorTimeoutMs: raw.CALLCENTER_ANCHOR_TIMEOUT_MS,
    defaultSessionMinutes: raw.CALLCENTER_DEFAULT_SESSION_MINUTES,
    expirySweepMs: raw.CALLCENTER_EXPIRY_SWEEP_MS,
  };
}
