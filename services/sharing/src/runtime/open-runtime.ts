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

import { SERVICE_NAME, SHARING_SCHEMA, type SharingConfig } from '../config.js';
import { ConsentKeyEntity } from '../grants/consent-key.entity.js';
import { ConsentEntity } from '../grants/consent.entity.js';
import { sharingMigrations } from '../migrations/index.js';
import { EmergencyPolicyEntity } from '../policies/emergency-policy.entity.js';
import type { SharingRuntime } from './runtime.js';

export interface OpenRuntime extends SharingRuntime {
  close(): Promise<void>;
}

/**
 * Connects and prepares everything the sharing service needs, in order: database and
 * migrations, the chain and the contracts the authority deployed (located, never deployed here),
 * a check that its account holds CONSENT_ROLE, and the outbox sender (leader-elected, so any
 * number of replicas can run it).
 */
export async function openRuntime(config: SharingConfig, logger: Logger): Promise<OpenRuntime> {
  const closers: (() => Promise<unknown>)[] = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
    closers.length = 0;
  };
  try {
    const dataSource = createServiceDataSource({
      url: config.databaseUrl,
      schema: SHARING_SCHEMA,
      applicationName: SERVICE_NAME,
      entities: [OutboxEntry, ConsentEntity, ConsentKeyEntity, EmergencyPolicyEntity],
      migrations: sharingMigrations,
      // TypeORM's error log prints a failed query's parameters (wrapped keys, policies); failures
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
      role: 'CONSENT_ROLE',
      account: signer.address,
      service: 'sharing',
      keyVariable: 'SHARING_CHAIN_KEY',
    });
    logger.info(
      {
        chainId: config.chainId,
        consentLedger: deployment.contracts.ConsentLedger,
        account: signer.address,
      },
      'ledger ready',
    );

    const sender = new OutboxSender({
      dataSource,
      schema: SHARING_SCHEMA,
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
