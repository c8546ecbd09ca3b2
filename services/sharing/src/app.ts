import type { NatsConnection } from '@nats-io/transport-node';
import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { isChainUnavailable } from '@sec-health/ledger';
import { classifyDatabaseError } from '@sec-health/persistence';
import {
  conflictWhen,
  createServiceKit,
  EventPublisher,
  InternalClient,
  type Logger,
  natsMicroserviceOptions,
  ParticipantDirectory,
  PinoNestLogger,
  unavailableWhen,
} from '@sec-health/service-kit';

import { SERVICE_NAME, type SharingConfig } from './config.js';
import { openRuntime, type OpenRuntime } from './runtime/open-runtime.js';
import { SharingModule } from './sharing.module.js';

export interface RunningSharing {
  readonly app: INestMicroservice;
  readonly runtime: OpenRuntime;
  /** Stops listening, then the sender, database and chain connections. */
  close(): Promise<void>;
}

/** Starts the sharing service: runtime first (fails fast), then the NATS listener. */
export async function startSharing(config: SharingConfig, logger: Logger): Promise<RunningSharing> {
  const runtime = await openRuntime(config, logger);
  let app: INestMicroservice | undefined;
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
    // Events leave, and the authority is asked, on the service's own connection, known once it
    // listens.
    const connection: { current?: NatsConnection } = {};
    const events = new EventPublisher(() => connection.current, logger);
    const directory = new ParticipantDirectory(new InternalClient(() => connection.current));
    app = await NestFactory.createMicroservice(
      SharingModule.with({ runtime, kit, events, directory }),
      {
        ...natsMicroserviceOptions({ nats: config.nats, service: SERVICE_NAME }),
        logger: new PinoNestLogger(logger),
      },
    );
    await app.listen();
    connection.current = app.unwrap<NatsConnection>();
  } catch (error) {
    await app?.close().catch(() => undefined);
    await runtime.close();
    throw error;
  }
  const started = app;
  return {
    app: started,
    runtime,
    close: async () => {
      await started.close();
      await runtime.close();
    },
  };
}
