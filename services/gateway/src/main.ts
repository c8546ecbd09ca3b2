import 'reflect-metadata';

import type { AddressInfo } from 'node:net';

import { onShutdownSignal, runMain } from '@sec-health/service-kit';

import { createGateway } from './app/create-gateway.js';
import { loadGatewayConfig } from './config.js';

runMain('gateway', async () => {
  const config = loadGatewayConfig();
  const gateway = await createGateway(config);
  await gateway.app.listen(config.port, config.host);
  const address = gateway.app.getHttpServer().address() as AddressInfo;
  gateway.logger.info(
    { host: address.address, port: address.port },
    `gateway listening on http://${address.address}:${address.port}`,
  );
  onShutdownSignal(async () => {
    gateway.logger.info('shutting down');
    await gateway.close();
  });
});
