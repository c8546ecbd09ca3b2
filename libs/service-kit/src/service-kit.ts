import type { Logger } from 'pino';

import { ActorAssertionVerifier } from './actor-assertion.js';
import type { LimitsConfig } from './common-config.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import type { ErrorClassifier } from './dependency-errors.js';

/** What every request handler of a service shares; built once at start. */
export interface ServiceKit {
  readonly service: string;
  readonly logger: Logger;
  readonly assertions: ActorAssertionVerifier;
  readonly limiter: ConcurrencyLimiter;
  /** How the service's dependencies' failures become typed errors (database, chain...). */
  readonly classifiers: readonly ErrorClassifier[];
}

export interface ServiceKitOptions {
  readonly service: string;
  readonly logger: Logger;
  /** GATEWAY_PUBLIC_KEY: the gateway's Ed25519 public key, base64url. */
  readonly gatewayPublicKey: string;
  readonly limits: LimitsConfig;
  readonly classifiers?: readonly ErrorClassifier[];
}

export async function createServiceKit(options: ServiceKitOptions): Promise<ServiceKit> {
  return {
    service: options.service,
    logger: options.logger,
    assertions: await ActorAssertionVerifier.fromPublicKey(options.gatewayPublicKey),
    limiter: new ConcurrencyLimiter(
      options.service,
      options.limits.maxConcurrent,
      options.limits.maxQueued,
    ),
    classifiers: options.classifiers ?? [],
  };
}
