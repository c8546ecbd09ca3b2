import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  createServiceDataSource,
  OutboxEntry,
  outboxMigrations,
  runMigrations,
} from '@sec-health/persistence';
import {
  provideChain,
  provideDatabase,
  type TestChain,
  type TestDatabase,
} from '@sec-health/testing';
import { Wallet, type JsonRpcProvider } from 'ethers';
import type { DataSource } from 'typeorm';

import {
  createProvider,
  deployOrLocate,
  grantRole,
  OutboxSender,
  ledgerCallEncoder,
  type ChainDeployment,
  type LedgerLogger,
  type OutboxSenderOptions,
} from '../src/index.js';

export const SCHEMA = 'ledger_test';

/** A fresh database with the outbox, an anvil with the contracts, an admin and a writer account. */
export interface LedgerEnv {
  readonly db: TestDatabase;
  readonly chain: TestChain;
  readonly dataSource: DataSource;
  readonly provider: JsonRpcProvider;
  readonly admin: Wallet;
  readonly writer: Wallet;
  readonly deployment: ChainDeployment;
  readonly addressBookPath: string;
  newDataSource(): Promise<DataSource>;
  newSender(options?: Partial<OutboxSenderOptions>): OutboxSender;
  close(): Promise<void>;
}

export async function setupLedgerEnv(): Promise<LedgerEnv> {
  const [db, chain] = await Promise.all([provideDatabase(), provideChain()]);
  const dir = await mkdtemp(join(tmpdir(), 'ledger-test-'));
  const addressBookPath = join(dir, 'contracts.json');
  const provider = createProvider({
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    requestTimeoutMs: 2_000,
  });
  const [adminAccount, writerAccount] = chain.accounts;
  const admin = new Wallet(adminAccount!.privateKey, provider);
  const writer = new Wallet(writerAccount!.privateKey, provider);
  const deployment = await deployOrLocate({
    provider,
    chainId: chain.chainId,
    admin,
    addressBookPath,
  });
  for (const role of ['ANCHOR_ROLE', 'CONSENT_ROLE', 'SESSION_ROLE', 'RELEASE_ROLE'] as const) {
    await grantRole(deployment, admin, role, writer.address);
  }
  const dataSources: DataSource[] = [];
  const senders: OutboxSender[] = [];
  const newDataSource = async (): Promise<DataSource> => {
    const dataSource = createServiceDataSource({
      url: db.url,
      schema: SCHEMA,
      entities: [OutboxEntry],
      migrations: [...outboxMigrations],
      poolSize: 12,
    });
    await runMigrations(dataSource);
    dataSources.push(dataSource);
    return dataSource;
  };
  const dataSource = await newDataSource();
  return {
    db,
    chain,
    dataSource,
    provider,
    admin,
    writer,
    deployment,
    addressBookPath,
    newDataSource,
    newSender(options = {}) {
      const sender = new OutboxSender({
        dataSource,
        schema: SCHEMA,
        provider,
        signer: writer,
        encoder: ledgerCallEncoder(deployment),
        receiptTimeoutMs: 3_000,
        backoff: { initialMs: 100, maxMs: 1_000 },
        logger: quietLogger,
        ...options,
      });
      senders.push(sender);
      return sender;
    },
    async close() {
      await Promise.all(senders.map((sender) => sender.stop()));
      await Promise.all(dataSources.map((source) => source.destroy().catch(() => undefined)));
      provider.destroy();
      await Promise.all([db.drop(), chain.stop(), rm(dir, { recursive: true, force: true })]);
    },
  };
}

/** Collects what the sender logs, for assertions; prints nothing. */
export function recordingLogger(): LedgerLogger & { readonly lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string) => lines.push(`${level}: ${message}`);
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}

const quietLogger: LedgerLogger = { info() {}, warn() {}, error() {} };

/** A distinct, non-zero bytes32 from a label and a number. */
export function ref(label: string, n: number): string {
  return `0x${Buffer.from(`${label}:${n}`).toString('hex').padEnd(64, '0').slice(0, 64)}`;
}
