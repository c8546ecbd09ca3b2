import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  ensureEd25519SigningKey,
  freePort,
  processEnvironment,
  STACK_PROCESSES,
  type StackProcess,
} from '@sec-health/local-infra';
import {
  provideChain,
  provideDatabase,
  provideSecureNats,
  type SecureTestNats,
  type TestChain,
  type TestDatabase,
} from '@sec-health/testing';

import { runToCompletion, startService, waitFor, type ServiceProcess } from './processes.js';

export const PASSPHRASE = 'e2e-passphrase-not-secret';

/** The whole system as `npm start` runs it, on a private NATS, database and chain. */
export interface Stack {
  readonly gatewayUrl: string;
  readonly home: string;
  readonly nats: SecureTestNats;
  readonly db: TestDatabase;
  readonly chain: TestChain;
  readonly processes: readonly ServiceProcess[];
  /** The gateway's Ed25519 public key, base64url (what services verify assertions with). */
  readonly gatewayPublicKey: string;
  /** The environment the stack gave process `name` (as npm start composes it). */
  envOf(name: string): Record<string, string>;
  /** Restarts process `name` with the same environment. */
  restart(name: string): Promise<void>;
  /** The last lines every process wrote, for a failing test's message. */
  diagnostics(): string;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Use this database instead of a fresh one on the local server (e.g. a private cluster). */
  readonly db?: TestDatabase;
  /** More variables in the caller's environment, filtered per process like npm start does. */
  readonly env?: Record<string, string>;
  /** NATS principals beyond the system's own (e.g. an `intruder` with no permissions). */
  readonly extraNatsPrincipals?: readonly { name: string }[];
  /**
   * More instances of a process (same principal, same database, queue group shared), each with
   * variables of its own, e.g. a second storage instance with its own IPFS directory.
   */
  readonly replicas?: readonly StackReplica[];
}

export interface StackReplica {
  /** Its name in the stack (restart, logs), e.g. `storage-2`. */
  readonly name: string;
  /** The process of STACK_PROCESSES it is another instance of. */
  readonly of: string;
  readonly env: Record<string, string>;
}

/**
 * Starts a private authenticated nats-server (one NKey per process, permissions from
 * natsPrincipals()), a database and an anvil, runs the setup commands, then every process of
 * STACK_PROCESSES from its build with the environment processEnvironment composes for it: the
 * same code path as `npm start`, so what the suites check is what npm start runs.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const [db, chain, nats] = await Promise.all([
    options.db ? Promise.resolve(options.db) : provideDatabase(),
    provideChain(),
    provideSecureNats({ extraPrincipals: options.extraNatsPrincipals ?? [] }),
  ]);
  const home = await mkdtemp(join(tmpdir(), 'sec-health-stack-'));
  const port = await freePort();
  const gatewayUrl = `http://127.0.0.1:${port}`;
  const gatewayKey = ensureEd25519SigningKey(join(home, 'gateway', 'signing-key'));
  const base: Record<string, string | undefined> = {
    ...process.env,
    CHAIN_RPC_URL: chain.rpcUrl,
    CHAIN_ID: String(chain.chainId),
    AUTHORITY_CHAIN_KEY: chain.accounts[0]!.privateKey,
    LEDGER_ADDRESS_BOOK: join(home, 'contracts.json'),
    SECHEALTH_HOME: home,
    SECHEALTH_PASSPHRASE: PASSPHRASE,
    GATEWAY_PORT: String(port),
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_AUTH_RATE_LIMIT: '1000',
    GATEWAY_IP_RATE_LIMIT: '10000',
    GATEWAY_REGISTER_RATE_LIMIT: '1000',
    ...options.env,
  };
  const secrets = {
    natsUrl: nats.url,
    seedFiles: Object.fromEntries(
      Object.entries(nats.identities).map(([name, identity]) => [name, identity.seedFile]),
    ),
    gatewayKey: { file: gatewayKey.file, publicKey: gatewayKey.publicKey },
    databaseUrls: Object.fromEntries(
      STACK_PROCESSES.filter((p) => p.database).map((p) => [p.name, db.url]),
    ),
  };
  const byName = (name: string) => {
    const found = STACK_PROCESSES.find((p) => p.name === name);
    if (!found) throw new Error(`no process ${name} in the stack`);
    return found;
  };
  const replicaEnv = (name: string) => options.replicas?.find((replica) => replica.name === name);
  const envOf = (process: StackProcess, withNats = true) =>
    processEnvironment(process, base, secrets, { withNats });
  const running = new Map<string, ServiceProcess>();
  const diagnostics = () =>
    [...running.values()].map((s) => `--- ${s.name}\n${s.output().slice(-4_000)}`).join('\n');
  const stop = async () => {
    await Promise.all([...running.values()].map((s) => s.stop()));
    await Promise.allSettled([options.db ? undefined : db.drop(), chain.stop(), nats.stop()]);
    await rm(home, { recursive: true, force: true });
  };
  try {
    for (const process of STACK_PROCESSES.filter((p) => p.setup)) {
      await runToCompletion(process.setup!, envOf(process, false), 120_000);
    }
    for (const process of STACK_PROCESSES) {
      running.set(process.name, startService(process.name, process.entry, envOf(process)));
    }
    for (const replica of options.replicas ?? []) {
      const process = byName(replica.of);
      running.set(
        replica.name,
        startService(replica.name, process.entry, { ...envOf(process), ...replica.env }),
      );
    }
    await waitFor(
      'every service to be healthy behind the gateway',
      async () => ((await fetch(`${gatewayUrl}/health`)).ok ? true : undefined),
      60_000,
      diagnostics,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    gatewayUrl,
    home,
    nats,
    db,
    chain,
    gatewayPublicKey: gatewayKey.publicKey,
    get processes() {
      return [...running.values()];
    },
    envOf: (name) => {
      const replica = replicaEnv(name);
      return replica ? { ...envOf(byName(replica.of)), ...replica.env } : envOf(byName(name));
    },
    async restart(name) {
      const replica = replicaEnv(name);
      const process = byName(replica?.of ?? name);
      await running.get(name)?.stop();
      running.set(
        name,
        startService(name, process.entry, { ...envOf(process), ...(replica?.env ?? {}) }),
      );
    },
    diagnostics,
    stop,
  };
}
