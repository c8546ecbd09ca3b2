import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { natsMicroserviceOptions, PinoNestLogger, type Logger } from '@sec-health/service-kit';

import { AuthorityModule } from './authority.module.js';
import { SERVICE_NAME, type AuthorityConfig } from './config.js';
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
  try {
    app = await NestFactory.createMicroservice(AuthorityModule.with(runtime), {
      ...natsMicroserviceOptions({ url: config.natsUrl, service: SERVICE_NAME }),
      logger: new PinoNestLogger(logger),
    });
    await app.listen();
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
