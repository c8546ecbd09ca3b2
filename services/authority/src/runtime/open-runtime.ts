import {
  createProvider,
  deployOrLocate,
  grantRole,
  ledgerCallEncoder,
  ledgerLoggerOf,
  OutboxSender,
} from '@sec-health/ledger';
import { createServiceDataSource, OutboxEntry, runMigrations } from '@sec-health/persistence';
import type { Logger } from '@sec-health/service-kit';
import { Wallet } from 'ethers';

import { loadOrCreateAttestationKey } from '../attestations/attestation-key.js';
import { AttestationEntity } from '../attestations/attestation.entity.js';
import { AUTHORITY_SCHEMA, DEV_CHAIN_ID, SERVICE_NAME, type AuthorityConfig } from '../config.js';
import { authorityMigrations } from '../migrations/index.js';
import { OrganizationEntity } from '../organizations/organization.entity.js';
import { ParticipantEntity } from '../participants/participant.entity.js';
import type { AuthorityRuntime } from './runtime.js';

export interface OpenRuntime extends AuthorityRuntime {
  close(): Promise<void>;
}

/**
 * Connects and prepares everything the authority needs, in order: database and migrations, the
 * chain and its contracts (deployed afresh only on the development chain), ATTESTER_ROLE for the
 * authority's own account, the attestation key, and the outbox sender (leader-elected, so any
 * number of replicas and the setup command can run it at once).
 */
export async function openRuntime(config: AuthorityConfig, logger: Logger): Promise<OpenRuntime> {
  const closers: (() => Promise<unknown>)[] = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
    closers.length = 0;
  };
  try {
    const dataSource = createServiceDataSource({
      url: config.databaseUrl,
      schema: AUTHORITY_SCHEMA,
      applicationName: SERVICE_NAME,
      entities: [OutboxEntry, OrganizationEntity, ParticipantEntity, AttestationEntity],
      migrations: authorityMigrations,
      // TypeORM's error log prints a failed query's parameters (names, emails, keys); failures
      // reach the request handler, which logs them without payloads.
      logging: false,
    });
    closers.push(() => (dataSource.isInitialized ? dataSource.destroy() : Promise.resolve()));
    const ran = await runMigrations(dataSource);
    logger.info({ migrations: ran }, 'database ready');

    const provider = createProvider({ rpcUrl: config.rpcUrl, chainId: config.chainId });
    closers.push(async () => provider.destroy());
    const admin = new Wallet(config.chainKey, provider);
    const deployment = await deployOrLocate({
      provider,
      chainId: config.chainId,
      admin,
      addressBookPath: config.addressBookPath,
      onMissingCode: config.chainId === DEV_CHAIN_ID ? 'deploy' : 'fail',
    });
    await grantRole(deployment, admin, 'ATTESTER_ROLE', admin.address);
    for (const [role, account] of config.ledgerWriters) {
      await grantRole(deployment, admin, role, account);
    }
    logger.info({ chainId: config.chainId, contracts: deployment.contracts }, 'ledger ready');

    const attestationKey = await loadOrCreateAttestationKey(
      config.home,
      config.attestationPassphrase,
    );
    const sender = new OutboxSender({
      dataSource,
      schema: AUTHORITY_SCHEMA,
      provider,
      signer: admin,
      encoder: ledgerCallEncoder(deployment),
      logger: ledgerLoggerOf(logger),
    });
    sender.start();
    closers.push(() => sender.stop());
    return { config, logger, dataSource, provider, deployment, attestationKey, sender, close };
  } catch (error) {
    await close();
    throw error;
  }
}
