import 'reflect-metadata';

import { createLogger, onShutdownSignal, runMain } from '@sec-health/service-kit';

import { startStorage } from './app.js';
import { SERVICE_NAME, storageConfig } from './config.js';

runMain(SERVICE_NAME, async () => {
  const config = storageConfig();
  const logger = createLogger(SERVICE_NAME, { level: config.logLevel });
  const storage = await startStorage(config, logger);
  logger.info(
    { nats: config.nats.url, queue: SERVICE_NAME, ipfs: storage.runtime.content.multiaddrs() },
    'storage listening',
  );
  onShutdownSignal(async () => {
    logger.info('shutting down');
    await storage.close();
  });
});
