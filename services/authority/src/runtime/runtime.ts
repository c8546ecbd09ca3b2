import type { ChainDeployment, OutboxSender } from '@sec-health/ledger';
import type { EventPublisher, Logger, ServiceKit } from '@sec-health/service-kit';
import type { JsonRpcProvider } from 'ethers';
import type { DataSource } from 'typeorm';

import type { AttestationKey } from '../attestations/attestation-key.js';
import type { AuthorityConfig } from '../config.js';

/** Everything the authority holds open while it runs; built before Nest starts. */
export interface AuthorityRuntime {
  readonly config: AuthorityConfig;
  readonly logger: Logger;
  readonly dataSource: DataSource;
  readonly provider: JsonRpcProvider;
  readonly deployment: ChainDeployment;
  readonly attestationKey: AttestationKey;
  readonly sender: OutboxSender;
}

/** What the request handlers of the running service add: the kit and the event publisher. */
export interface AuthorityContext {
  readonly runtime: AuthorityRuntime;
  readonly kit: ServiceKit;
  readonly events: EventPublisher;
}

/** Nest injection token of the AuthorityContext. */
export const CONTEXT = Symbol('AuthorityContext');
