import type { ChainDeployment, LedgerContracts, OutboxSender } from '@sec-health/ledger';
import type { EventPublisher, Logger, ServiceKit } from '@sec-health/service-kit';
import type { JsonRpcProvider } from 'ethers';
import type { DataSource } from 'typeorm';

import type { StorageConfig } from '../config.js';
import type { HeliaContentStore } from '../ipfs/index.js';
import type { RecordRepository } from '../records/record.repository.js';
import type { ServiceReads } from '../records/service-reads.js';

/** Everything the storage service holds open while it runs; built before Nest starts. */
export interface StorageRuntime {
  readonly config: StorageConfig;
  readonly logger: Logger;
  readonly dataSource: DataSource;
  readonly provider: JsonRpcProvider;
  readonly deployment: ChainDeployment;
  /** Read-only contract handles (the outbox sender is the only writer). */
  readonly contracts: LedgerContracts;
  readonly content: HeliaContentStore;
  readonly records: RecordRepository;
  readonly sender: OutboxSender;
}

/** What the handlers of the running service add: the kit, events, and reads of other services. */
export interface StorageContext {
  readonly runtime: StorageRuntime;
  readonly kit: ServiceKit;
  readonly events: EventPublisher;
  readonly reads: ServiceReads;
}

export const CONTEXT = Symbol('StorageContext');
