import 'reflect-metadata';

import { createLogger, onShutdownSignal, runMain } from '@sec-health/service-kit';

import { startCallCenter } from './app.js';
import { callCenterConfig, SERVICE_NAME } from './config.js';

runMain(SERVICE_NAME, async () => {
  const config = callCenterConfig();
  const logger = createLogger(SERVICE_NAME, { level: config.logLevel });
  const callCenter = await startCallCenter(config, logger);
  logger.info({ nats: config.nats.url, queue: SERVICE_NAME }, 'call center listening');
  onShutdownSignal(async () => {
    logger.info('shutting down');
    await callCenter.close();
  });
});
