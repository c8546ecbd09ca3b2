import 'reflect-metadata';

import { createLogger, onShutdownSignal, runMain } from '@sec-health/service-kit';

import { startAuthority } from './app.js';
import { authorityConfig, SERVICE_NAME } from './config.js';

runMain(SERVICE_NAME, async () => {
  const config = authorityConfig();
  const logger = createLogger(SERVICE_NAME, { level: config.logLevel });
  const authority = await startAuthority(config, logger);
  logger.info({ nats: config.nats.url, queue: SERVICE_NAME }, 'authority listening');
  onShutdownSignal(async () => {
    logger.info('shutting down');
    await authority.close();
  });
});
