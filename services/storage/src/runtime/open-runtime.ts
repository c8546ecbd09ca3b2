import {
  assertWriterRole,
  connectContracts,
  createProvider,
  ledgerCallEncoder,
  ledgerLoggerOf,
  locateContracts,
  OutboxSender,
} from '@sec-health/ledger';
import { createServiceDataSource, OutboxEntry, runMigrations } from '@sec-health/persistence';
import type { Logger } from '@sec-health/service-kit';
import { Wallet } from 'ethers';

import { SERVICE_NAME, STORAGE_SCHEMA, type StorageConfig } from '../config.js';
import { startHeliaContentStore } from '../ipfs/index.js';
import { storageMigrations } from '../migrations/index.js';
import { RecordRepository } from '../records/record.repository.js';
import type { StorageRuntime } from './runtime.js';

export interface OpenRuntime extends StorageRuntime {
  close(): Promise<void>;
}

/**
 * Opens, in order: the database and its migrations, the chain (contracts located, never
 * deployed; the account must hold ANCHOR_ROLE), the IPFS node, and the outbox sender. Each step
 * that fails undoes the ones before it.
 */
export async function openRuntime(config: StorageConfig, logger: Logger): Promise<OpenRuntime> {
  const closers: (() => Promise<unknown>)[] = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
    closers.length = 0;
  };
  try {
    const dataSource = createServiceDataSource({
      url: config.databaseUrl,
      schema: STORAGE_SCHEMA,
      applicationName: SERVICE_NAME,
      entities: [OutboxEntry],
      migrations: storageMigrations,
      logging: false,
    });
    closers.push(() => (dataSource.isInitialized ? dataSource.destroy() : Promise.resolve()));
    const ran = await runMigrations(dataSource);
    logger.info({ migrations: ran }, 'database ready');

    const provider = createProvider({ rpcUrl: config.rpcUrl, chainId: config.chainId });
    closers.push(async () => provider.destroy());
    const deployment = await locateContracts({
      provider,
      chainId: config.chainId,
      addressBookPath: config.addressBookPath,
    });
    const writer = new Wallet(config.chainKey, provider);
    const contracts = connectContracts(deployment, provider);
    await assertWriterRole({
      deployment,
      provider,
      role: 'ANCHOR_ROLE',
      account: writer.address,
      service: 'storage',
      keyVariable: 'STORAGE_CHAIN_KEY',
    });
    logger.info({ chainId: config.chainId, account: writer.address }, 'ledger ready');

    const content = await startHeliaContentStore({
      directory: config.ipfs.directory,
      listen: config.ipfs.listen,
      bootstrap: config.ipfs.peers,
      logger: { info: (f, m) => logger.info(f, m), warn: (f, m) => logger.warn(f, m) },
    });
    closers.push(() => content.stop());

    const sender = new OutboxSender({
      dataSource,
      schema: STORAGE_SCHEMA,
      provider,
      signer: writer,
      encoder: ledgerCallEncoder(deployment),
      logger: ledgerLoggerOf(logger),
    });
    sender.start();
    closers.push(() => sender.stop());
    const records = new RecordRepository(dataSource);
    return {
      config,
      logger,
      dataSource,
      provider,
      deployment,
      contracts,
      content,
      records,
      sender,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
