import 'reflect-metadata';

import { createLogger, onShutdownSignal, runMain } from '@sec-health/service-kit';

import { startSharing } from './app.js';
import { SERVICE_NAME, sharingConfig } from './config.js';

runMain(SERVICE_NAME, async () => {
  const config = sharingConfig();
  const logger = createLogger(SERVICE_NAME, { level: config.logLevel });
  const sharing = await startSharing(config, logger);
  logger.info({ nats: config.nats.url, queue: SERVICE_NAME }, 'sharing listening');
  onShutdownSignal(async () => {
    logger.info('shutting down');
    await sharing.close();
  });
});
