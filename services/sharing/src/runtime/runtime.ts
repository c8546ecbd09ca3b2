import type { ChainDeployment, OutboxSender } from '@sec-health/ledger';
import type {
  EventPublisher,
  Logger,
  ParticipantDirectory,
  ServiceKit,
} from '@sec-health/service-kit';
import type { JsonRpcProvider } from 'ethers';
import type { DataSource } from 'typeorm';

import type { SharingConfig } from '../config.js';

/** Everything the sharing service holds open while it runs; built before Nest starts. */
export interface SharingRuntime {
  readonly config: SharingConfig;
  readonly logger: Logger;
  readonly dataSource: DataSource;
  readonly provider: JsonRpcProvider;
  readonly deployment: ChainDeployment;
  readonly sender: OutboxSender;
}

/** What the request handlers of the running service add: kit, events, the authority's directory. */
export interface SharingContext {
  readonly runtime: SharingRuntime;
  readonly kit: ServiceKit;
  readonly events: EventPublisher;
  readonly directory: ParticipantDirectory;
}

/** Nest injection token of the SharingContext. */
export const CONTEXT = Symbol('SharingContext');
