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

import { CallCenterModule } from './call-center.module.js';
import { SERVICE_NAME, type CallCenterConfig } from './config.js';
import { PolicyReader } from './policies/policy-reader.js';
import { openRuntime, type OpenRuntime } from './runtime/open-runtime.js';
import type { CallCenterContext } from './runtime/runtime.js';
import { ExpirySweep } from './sessions/expiry-sweep.js';

export interface RunningCallCenter {
  readonly app: INestMicroservice;
  readonly runtime: OpenRuntime;
  readonly sweep: ExpirySweep;
  /** Stops listening and sweeping, then the sender, database and chain connections. */
  close(): Promise<void>;
}

export interface CallCenterOptions {
  /** The service's clock (tests move it forward with the chain's); the system clock by default. */
  readonly clock?: () => Date;
}

/** Starts the call-center service: runtime first (fails fast), then the NATS listener. */
export async function startCallCenter(
  config: CallCenterConfig,
  logger: Logger,
  options: CallCenterOptions = {},
): Promise<RunningCallCenter> {
  const runtime = await openRuntime(config, logger);
  let app: INestMicroservice | undefined;
  let sweep: ExpirySweep | undefined;
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
    // Events leave, and the authority and sharing services are asked, on the service's own
    // connection, known once it listens.
    const connection: { current?: NatsConnection } = {};
    const internal = new InternalClient(() => connection.current);
    const context: CallCenterContext = {
      runtime,
      kit,
      events: new EventPublisher(() => connection.current, logger),
      directory: new ParticipantDirectory(internal),
      policies: new PolicyReader(internal),
      clock: options.clock ?? (() => new Date()),
    };
    app = await NestFactory.createMicroservice(CallCenterModule.with(context), {
      ...natsMicroserviceOptions({ nats: config.nats, service: SERVICE_NAME }),
      logger: new PinoNestLogger(logger),
    });
    await app.listen();
    connection.current = app.unwrap<NatsConnection>();
    sweep = new ExpirySweep(context, config.expirySweepMs);
    sweep.start();
  } catch (error) {
    await app?.close().catch(() => undefined);
    await runtime.close();
    throw error;
  }
  const started = app;
  const startedSweep = sweep;
  return {
    app: started,
    runtime,
    sweep: startedSweep,
    close: async () => {
      await startedSweep.stop();
      await started.close();
      await runtime.close();
    },
  };
}
