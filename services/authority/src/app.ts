import type { NatsConnection } from '@nats-io/transport-node';
import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { isChainUnavailable } from '@sec-health/ledger';
import { classifyDatabaseError } from '@sec-health/persistence';
import {
  conflictWhen,
  createServiceKit,
  EventPublisher,
  natsMicroserviceOptions,
  PinoNestLogger,
  unavailableWhen,
  type Logger,
} from '@sec-health/service-kit';

import { AuthorityModule } from './authority.module.js';
import { SERVICE_NAME, type AuthorityConfig } from './config.js';
import { startPendingExpiry } from './participants/pending-expiry.js';
import { openRuntime, type OpenRuntime } from './runtime/open-runtime.js';

export interface RunningAuthority {
  readonly app: INestMicroservice;
  readonly runtime: OpenRuntime;
  /** Stops listening, then the sender, database and chain connections. */
  close(): Promise<void>;
}

/** Starts the authority: runtime first (fails fast), then the NATS listener. */
export async function startAuthority(
  config: AuthorityConfig,
  logger: Logger,
): Promise<RunningAuthority> {
  const runtime = await openRuntime(config, logger);
  let app: INestMicroservice | undefined;
  let stopExpiry: (() => void) | undefined;
  try {
    const kit = await createServiceKit({
      service: SERVICE_NAME,
      logger,
      gatewayPublicKey: config.gatewayPublicKey,
      limits: config.limits,
      classifiers: [
        unavailableWhen('the database', (e) => classifyDatabaseError(e) === 'unavailable'),
        unavailableWhen('the chain', isChainUnavailable),
        conflictWhen((e) => classifyDatabaseError(e) === 'conflict'),
      ],
    });
    // Events leave on the service's own connection, known once it listens.
    const connection: { current?: NatsConnection } = {};
    const events = new EventPublisher(() => connection.current, logger);
    app = await NestFactory.createMicroservice(AuthorityModule.with({ runtime, kit, events }), {
      ...natsMicroserviceOptions({ nats: config.nats, service: SERVICE_NAME }),
      logger: new PinoNestLogger(logger),
    });
    await app.listen();
    connection.current = app.unwrap<NatsConnection>();
    stopExpiry = startPendingExpiry(runtime, logger);
  } catch (error) {
    stopExpiry?.();
    await app?.close().catch(() => undefined);
    await runtime.close();
    throw error;
  }
  const started = app;
  return {
    app: started,
    runtime,
    close: async () => {
      stopExpiry?.();
      await started.close();
      await runtime.close();
    },
  };
}
