import { GATEWAY_PRINCIPAL } from '@sec-health/protocol';

/**
 * One process of the system as `npm start` (and the end-to-end and security suites) run it. Each
 * connects to NATS as the principal of its name (natsPrincipals() in libs/protocol), so a new
 * service is one entry here plus its principal there.
 */
export interface StackProcess {
  readonly name: string;
  /** Its main, relative to the repository root. */
  readonly entry: string;
  /** Gets a database of its own schema as <NAME>_DATABASE_URL. */
  readonly database?: boolean;
  /** A one-shot command run before any service starts, with its environment but no NATS. */
  readonly setup?: string;
  /** Variables of the caller's environment it reads besides its own <NAME>_* ones. */
  readonly passthrough?: readonly string[];
}

/** In start order: the services, then the gateway in front of them. */
export const STACK_PROCESSES: readonly StackProcess[] = [
  {
    name: 'authority',
    entry: 'services/authority/dist/main.js',
    database: true,
    setup: 'services/authority/dist/setup.js',
    passthrough: ['SECHEALTH_PASSPHRASE'],
  },
  { name: 'storage', entry: 'services/storage/dist/main.js', database: true },
  { name: 'sharing', entry: 'services/sharing/dist/main.js', database: true },
  { name: 'callcenter', entry: 'services/call-center/dist/main.js', database: true },
  { name: GATEWAY_PRINCIPAL, entry: 'services/gateway/dist/main.js' },
];

/** Passed to every process: the system's own settings, never a secret of one process. */
const COMMON_VARIABLES = new Set([
  ...['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'TERM'],
  ...['NODE_ENV', 'NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'LOG_LEVEL'],
  ...['LEDGER_ADDRESS_BOOK', 'SECHEALTH_HOME'],
  ...['NATS_TLS_CA_FILE', 'NATS_TLS_CERT_FILE', 'NATS_TLS_KEY_FILE', 'PGSSLMODE', 'PGSSLROOTCERT'],
]);
const COMMON_PREFIXES = ['LC_', 'CHAIN_'];

/** `authority` → `AUTHORITY_`: the prefix of a process's own variables. */
export function envPrefixOf(name: string): string {
  return `${name.toUpperCase().replace(/-/g, '_')}_`;
}

/** What the stack gives its processes: where NATS is, and each process's own secrets. */
export interface StackSecrets {
  readonly natsUrl: string;
  /** The NKey seed file (0600) of each principal. */
  readonly seedFiles: Readonly<Record<string, string>>;
  /** The gateway's Ed25519 key: the file only for the gateway, the public key for the others. */
  readonly gatewayKey: { readonly file: string; readonly publicKey: string };
  /** The database URL of each process with `database`. */
  readonly databaseUrls: Readonly<Record<string, string>>;
}

/**
 * The environment of one process: the common variables and its own <NAME>_* and passthrough ones
 * from `base`, NATS_URL, and only its own secrets: its NKey seed file; for the gateway its signing
 * key file and the services to ask on /health; for every other process the gateway's public key
 * and its database URL. Nothing else of `base` is passed on.
 */
export function processEnvironment(
  process: StackProcess,
  base: Readonly<Record<string, string | undefined>>,
  secrets: StackSecrets,
  options: { readonly withNats?: boolean } = {},
): Record<string, string> {
  const own = envPrefixOf(process.name);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined) continue;
    const mine = key.startsWith(own) || (process.passthrough ?? []).includes(key);
    const common = COMMON_VARIABLES.has(key) || COMMON_PREFIXES.some((p) => key.startsWith(p));
    if (mine || common) env[key] = value;
  }
  env.NATS_URL = secrets.natsUrl;
  if (options.withNats ?? true) {
    const seedFile = secrets.seedFiles[process.name];
    if (seedFile === undefined) throw new Error(`no NATS credentials for ${process.name}`);
    env.NATS_NKEY_SEED_FILE = seedFile;
  }
  if (process.name === GATEWAY_PRINCIPAL) {
    env.GATEWAY_SIGNING_KEY_FILE = secrets.gatewayKey.file;
    env.GATEWAY_SERVICES ??= STACK_PROCESSES.filter((p) => p.name !== GATEWAY_PRINCIPAL)
      .map((p) => p.name)
      .join(',');
  } else {
    env.GATEWAY_PUBLIC_KEY = secrets.gatewayKey.publicKey;
  }
  const databaseUrl = secrets.databaseUrls[process.name];
  if (process.database) {
    if (databaseUrl === undefined) throw new Error(`no database for ${process.name}`);
    env[`${own}DATABASE_URL`] ??= databaseUrl;
  }
  return env;
}
