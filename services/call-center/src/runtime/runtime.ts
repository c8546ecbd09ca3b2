import type { ChainDeployment, OutboxSender } from '@sec-health/ledger';
import type {
  EventPublisher,
  Logger,
  ParticipantDirectory,
  ServiceKit,
} from '@sec-health/service-kit';
import type { JsonRpcProvider } from 'ethers';
import type { DataSource } from 'typeorm';

import type { CallCenterConfig } from '../config.js';
import type { PolicyReader } from '../policies/policy-reader.js';

/** Everything the call-center service holds open while it runs; built before Nest starts. */
export interface CallCenterRuntime {
  readonly config: CallCenterConfig;
  readonly logger: Logger;
  readonly dataSource: DataSource;
  readonly provider: JsonRpcProvider;
  readonly deployment: ChainDeployment;
  readonly sender: OutboxSender;
}

/** What the request handlers of the running service add. */
export interface CallCenterContext {
  readonly runtime: CallCenterRuntime;
  readonly kit: ServiceKit;
  readonly events: EventPublisher;
  /** The authority's participants (internal.authority.participants.resolve). */
  readonly directory: ParticipantDirectory;
  /** The sharing service's emergency policies (internal.sharing.policy.resolve). */
  readonly policies: PolicyReader;
  /** The service's clock: expiry and signedAt checks read it. */
  readonly clock: () => Date;
}

/** Nest injection token of the CallCenterContext. */
export const CONTEXT = Symbol('CallCenterContext');
