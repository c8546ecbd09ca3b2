import {
  assertWriterRole,
  createProvider,
  ledgerCallEncoder,
  ledgerLoggerOf,
  locateContracts,
  OutboxSender,
} from '@sec-health/ledger';
import { createServiceDataSource, OutboxEntry, runMigrations } from '@sec-health/persistence';
import type { Logger } from '@sec-health/service-kit';
import { Wallet } from 'ethers';

import { CALLCENTER_SCHEMA, SERVICE_NAME, type CallCenterConfig } from '../config.js';
import { callCenterMigrations } from '../migrations/index.js';
import { SessionEntity } from '../sessions/session.entity.js';
import type { CallCenterRuntime } from './runtime.js';

export interface OpenRuntime extends CallCenterRuntime {
  close(): Promise<void>;
}

/**
 * Connects and prepares everything the call-center service needs, in order: database and
 * migrations, the chain and the contracts the authority deployed (located, never deployed here),
 * a check that its account holds SESSION_ROLE, and the outbox sender (leader-elected, so any
 * number of replicas can run it).
 */
export async function openRuntime(config: CallCenterConfig, logger: Logger): Promise<OpenRuntime> {
  const closers: (() => Promise<unknown>)[] = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
    closers.length = 0;
  };
  try {
    const dataSource = createServiceDataSource({
      url: config.databaseUrl,
      schema: CALLCENTER_SCHEMA,
      applicationName: SERVICE_NAME,
      entities: [OutboxEntry, SessionEntity],
      migrations: callCenterMigrations,
      // TypeORM's error log prints a failed query's parameters (the attendant's notes); failures
      // reach the request handler, which logs them without payloads.
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
    const signer = new Wallet(config.chainKey, provider);
    await assertWriterRole({
      deployment,
      provider,
      role: 'SESSION_ROLE',
      account: signer.address,
      service: 'call-center',
      keyVariable: 'CALLCENTER_CHAIN_KEY',
    });
    logger.info(
      {
        chainId: config.chainId,
        emergencyAccessLog: deployment.contracts.EmergencyAccessLog,
        account: signer.address,
      },
      'ledger ready',
    );

    const sender = new OutboxSender({
      dataSource,
      schema: CALLCENTER_SCHEMA,
      provider,
      signer,
      encoder: ledgerCallEncoder(deployment),
      logger: ledgerLoggerOf(logger),
    });
    sender.start();
    closers.push(() => sender.stop());
    return { config, logger, dataSource, provider, deployment, sender, close };
  } catch (error) {
    await close();
    throw error;
  }
}
