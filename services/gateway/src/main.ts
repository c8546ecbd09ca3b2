import 'reflect-metadata';

import type { AddressInfo } from 'node:net';

import { ConfigError, loadGatewayConfig, type GatewayConfig } from './config/gateway-config.js';
import { createGateway } from './app/create-gateway.js';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadGatewayConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`gateway: ${error.message}`);
    process.exit(1);
  }
  const gateway = await createGateway(config);
  const { logger } = gateway;
  if (config.jwtSecretGenerated) {
    logger.warn(
      'GATEWAY_JWT_SECRET is not set: using a random per-process secret (development only; tokens do not survive a restart nor work across replicas)',
    );
  }
  await gateway.app.listen(config.port, config.host);
  const address = gateway.app.getHttpServer().address() as AddressInfo;
  logger.info(
    { host: address.address, port: address.port },
    `gateway listening on http://${address.address}:${address.port}`,
  );

  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS);
    force.unref();
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: String(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  // Startup failures (NATS unreachable, port taken) end the process with a one-line reason.
  console.error(
    `gateway: failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
