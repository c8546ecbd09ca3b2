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

/** anvil's account 2: DEVELOPMENT ONLY, publicly known. Set SHARING_CHAIN_KEY anywhere else. */
const ANVIL_ACCOUNT_2_KEY = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a';

export const SharingConfigSchema = z.object({
  ...behindGatewayEnvironment,
  SHARING_DATABASE_URL: databaseUrlVariable(),
  ...chainEnvironment,
  SHARING_CHAIN_KEY: chainKeyVariable(ANVIL_ACCOUNT_2_KEY),
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
  return {
    nats: natsConfigOf(raw),
    gatewayPublicKey: raw.GATEWAY_PUBLIC_KEY,
    limits: limitsOf(raw),
    logLevel: raw.LOG_LEVEL,
    databaseUrl: raw.SHARING_DATABASE_URL,
    rpcUrl: raw.CHAIN_RPC_URL,
    chainId: raw.CHAIN_ID,
    chainKey: raw.SHARING_CHAIN_KEY,
    addressBookPath: fromRepoRoot(raw.LEDGER_ADDRESS_BOOK, cwd),
  };
}
