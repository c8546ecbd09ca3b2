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
  natsMicroserviceOptions,
  PinoNestLogger,
  unavailableWhen,
  type Logger,
} from '@sec-health/service-kit';

import { SERVICE_NAME, type StorageConfig } from './config.js';
import { isContentStoreError } from './ipfs/index.js';
import { startPeerRegistry } from './peers/peer-registry.js';
import { ServiceReads } from './records/service-reads.js';
import { openRuntime, type OpenRuntime } from './runtime/open-runtime.js';
import { StorageModule } from './storage.module.js';

export interface RunningStorage {
  readonly app: INestMicroservice;
  readonly runtime: OpenRuntime;
  close(): Promise<void>;
}

const UPLOAD_SWEEP_MS = 60_000;

/** Starts the storage service: runtime first (fails fast), then the NATS listener. */
export async function startStorage(config: StorageConfig, logger: Logger): Promise<RunningStorage> {
  const runtime = await openRuntime(config, logger);
  let app: INestMicroservice | undefined;
  const stops: (() => void)[] = [];
  try {
    const kit = await createServiceKit({
      service: SERVICE_NAME,
      logger,
      gatewayPublicKey: config.gatewayPublicKey,
      limits: config.limits,
      classifiers: [
        unavailableWhen('the database', (e) => classifyDatabaseError(e) === 'unavailable'),
        unavailableWhen('the chain', isChainUnavailable),
        unavailableWhen('the IPFS node', isContentStoreError),
        conflictWhen((e) => classifyDatabaseError(e) === 'conflict'),
      ],
    });
    const connection: { current?: NatsConnection } = {};
    const events = new EventPublisher(() => connection.current, logger);
    const reads = new ServiceReads(new InternalClient(() => connection.current));
    app = await NestFactory.createMicroservice(
      StorageModule.with({ runtime, kit, events, reads }),
      {
        ...natsMicroserviceOptions({ nats: config.nats, service: SERVICE_NAME }),
        logger: new PinoNestLogger(logger),
      },
    );
    await app.listen();
    connection.current = app.unwrap<NatsConnection>();
    stops.push(startPeerRegistry(runtime.dataSource, runtime.content, logger));
    const sweep = setInterval(() => {
      runtime.records
        .dropExpiredUploads()
        .then((dropped) => dropped > 0 && logger.info({ dropped }, 'expired uploads dropped'))
        .catch(() => undefined);
    }, UPLOAD_SWEEP_MS);
    sweep.unref();
    stops.push(() => clearInterval(sweep));
  } catch (error) {
    stops.forEach((stop) => stop());
    await app?.close().catch(() => undefined);
    await runtime.close();
    throw error;
  }
  const started = app;
  return {
    app: started,
    runtime,
    close: async () => {
      stops.forEach((stop) => stop());
      await started.close();
      await runtime.close();
    },
  };
}
