import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { contractArtifacts } from '@sec-health/contracts';
import { generateSigningKeyPair, toBase64Url } from '@sec-health/crypto';
import {
  createProvider,
  deployOrLocate,
  grantRole,
  type ChainDeployment,
} from '@sec-health/ledger';
import { GATEWAY_PRINCIPAL, Header, type Reply } from '@sec-health/protocol';
import { ActorAssertionSigner, createLogger, type Actor } from '@sec-health/service-kit';
import {
  provideChain,
  provideDatabase,
  provideSecureNats,
  type SecureTestNats,
  type TestChain,
  type TestDatabase,
} from '@sec-health/testing';
import { Contract, JsonRpcProvider, Network, Wallet } from 'ethers';

import { startStorage, type RunningStorage } from '../../src/app.js';
import { storageConfig } from '../../src/config.js';
import { emergencySet, type TestEmergencySet } from './participants.js';
import { StandIns, STAND_IN_PRINCIPAL } from './stand-ins.js';

/** One storage instance started in-process, with its own IPFS directory and log lines. */
export interface StorageInstance {
  readonly storage: RunningStorage;
  readonly ipfsDirectory: string;
  readonly logLines: Record<string, unknown>[];
}

/**
 * A fresh database, anvil (contracts deployed, ANCHOR_ROLE granted to the storage account) and
 * private NATS; the stand-ins for the authority and sharing reads; storage started in-process;
 * a connection as the gateway, the only principal that may send storage requests.
 */
export interface StorageEnv {
  readonly instances: StorageInstance[];
  readonly standIns: StandIns;
  readonly emergency: TestEmergencySet;
  readonly deployment: ChainDeployment;
  readonly chain: TestChain;
  readonly nats: SecureTestNats;
  readonly gateway: NatsConnection;
  /** A plain JSON-RPC provider, none of the service's code. */
  readonly provider: JsonRpcProvider;
  /** The first instance. */
  readonly storage: RunningStorage;
  /** Starts one more instance on the same database schema, with its own IPFS directory. */
  startInstance(): Promise<StorageInstance>;
  /**
   * A request as the gateway sends it: a request id and the gateway's assertion for `actor`, or
   * for nobody authenticated ('anonymous', as for health); without `actor`, no assertion at all.
   */
  request<T = unknown>(
    subject: string,
    data: unknown,
    actor?: Actor | 'anonymous',
  ): Promise<Reply<T>>;
  /** Raw bytes with only the headers given. */
  requestRaw(subject: string, body: string, extra?: Record<string, string>): Promise<unknown>;
  /** RecordRegistry with the ABI from @sec-health/contracts, on the plain provider. */
  registry(): Contract;
  /** SQL on the storage database (for tampering), outside the service. */
  sql<T = unknown>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** `overrides`: environment variables for every instance (MAX_CONCURRENT_REQUESTS, say). */
export async function setupStorageEnv(overrides: Record<string, string> = {}): Promise<StorageEnv> {
  const [db, chain, nats] = await Promise.all([
    provideDatabase(),
    provideChain(),
    provideSecureNats({ extraPrincipals: [STAND_IN_PRINCIPAL] }),
  ]);
  const home = await mkdtemp(join(tmpdir(), 'storage-test-'));
  const addressBookPath = join(home, 'contracts.json');
  const admin = chain.accounts[0]!;
  const storageAccount = chain.accounts[1]!;
  const ledgerProvider = createProvider({ rpcUrl: chain.rpcUrl, chainId: chain.chainId });
  let deployment: ChainDeployment;
  try {
    const adminWallet = new Wallet(admin.privateKey, ledgerProvider);
    deployment = await deployOrLocate({
      provider: ledgerProvider,
      chainId: chain.chainId,
      admin: adminWallet,
      addressBookPath,
    });
    await grantRole(deployment, adminWallet, 'ANCHOR_ROLE', storageAccount.address);
  } finally {
    ledgerProvider.destroy();
  }

  const emergency = emergencySet();
  const standIns = await StandIns.start(nats, emergency.set);
  const gatewayKeys = generateSigningKeyPair();
  const gatewaySigner = await ActorAssertionSigner.fromSeed(gatewayKeys.secretKey);
  const gateway = await connect(nats.connectOptions(GATEWAY_PRINCIPAL));
  const provider = new JsonRpcProvider(chain.rpcUrl, Network.from(chain.chainId), {
    staticNetwork: true,
    batchMaxCount: 1,
    pollingInterval: 100,
    cacheTimeout: -1,
  });

  const instances: StorageInstance[] = [];
  const startInstance = async (): Promise<StorageInstance> => {
    const ipfsDirectory = await mkdtemp(join(home, 'ipfs-'));
    const config = storageConfig({
      ...nats.envFor('storage'),
      GATEWAY_PUBLIC_KEY: toBase64Url(gatewayKeys.publicKey),
      STORAGE_DATABASE_URL: db.url,
      CHAIN_RPC_URL: chain.rpcUrl,
      CHAIN_ID: String(chain.chainId),
      STORAGE_CHAIN_KEY: storageAccount.privateKey,
      LEDGER_ADDRESS_BOOK: addressBookPath,
      STORAGE_IPFS_DIR: ipfsDirectory,
      ...overrides,
    });
    const logLines: Record<string, unknown>[] = [];
    const logger = createLogger('storage', { level: 'info', destination: capture(logLines) });
    const storage = await startStorage(config, logger);
    const instance = { storage, ipfsDirectory, logLines };
    instances.push(instance);
    return instance;
  };
  await startInstance();

  return {
    instances,
    standIns,
    emergency,
    deployment,
    chain,
    nats,
    gateway,
    provider,
    get storage() {
      return instances[0]!.storage;
    },
    startInstance,
    async request<T>(
      subject: string,
      data: unknown,
      actor?: Actor | 'anonymous',
    ): Promise<Reply<T>> {
      const requestId = randomUUID();
      // What goes on the wire, and what the assertion binds: the JSON the service will parse.
      const wire = JSON.stringify(data);
      const h = headers();
      h.set(Header.RequestId, requestId);
      if (actor) {
        h.set(
          Header.ActorAssertion,
          await gatewaySigner.sign({
            subject,
            body: JSON.parse(wire) as unknown,
            requestId,
            ...(actor === 'anonymous' ? {} : { actor }),
          }),
        );
      }
      const message = await gateway.request(subject, wire, { timeout: 60_000, headers: h });
      return message.json<Reply<T>>();
    },
    async requestRaw(subject, body, extra = {}) {
      const h = headers();
      for (const [name, value] of Object.entries(extra)) h.set(name, value);
      const message = await gateway.request(subject, body, { timeout: 15_000, headers: h });
      return message.json();
    },
    registry() {
      return new Contract(
        deployment.contracts.RecordRegistry,
        contractArtifacts.RecordRegistry.abi,
        provider,
      );
    },
    async sql<T>(query: string, params: unknown[] = []) {
      return instances[0]!.storage.runtime.dataSource.query<T[]>(query, params);
    },
    close: () => closeAll({ instances, standIns, gateway, provider, db, chain, nats, home }),
  };
}

async function closeAll(parts: {
  instances: StorageInstance[];
  standIns: StandIns;
  gateway: NatsConnection;
  provider: JsonRpcProvider;
  db: TestDatabase;
  chain: TestChain;
  nats: SecureTestNats;
  home: string;
}): Promise<void> {
  await parts.gateway.close().catch(() => undefined);
  await parts.standIns.stop().catch(() => undefined);
  for (const instance of parts.instances) await instance.storage.close().catch(() => undefined);
  parts.provider.destroy();
  await Promise.allSettled([parts.db.drop(), parts.chain.stop(), parts.nats.stop()]);
  await rm(parts.home, { recursive: true, force: true });
}

function capture(lines: Record<string, unknown>[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
}
