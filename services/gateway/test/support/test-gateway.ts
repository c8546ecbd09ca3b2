import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';

import { createGateway, type Gateway } from '../../src/app/create-gateway.js';
import type { Actor } from '../../src/auth/actor.js';
import { TokenService } from '../../src/auth/token.service.js';
import { loadGatewayConfig } from '../../src/config/gateway-config.js';

export const TEST_JWT_SECRET = 'test-secret-of-the-gateway-suites-0123456789';

export interface TestGateway {
  readonly gateway: Gateway;
  readonly baseUrl: string;
  /** Every log line written so far, parsed. */
  readonly logs: Record<string, unknown>[];
  readonly rawLogs: string[];
  token(actor: Actor): Promise<string>;
  stop(): Promise<void>;
}

/** A gateway on 127.0.0.1 port 0, in this process, logging into memory. */
export async function startTestGateway(
  natsUrl: string,
  env: Record<string, string> = {},
): Promise<TestGateway> {
  const config = loadGatewayConfig({
    NATS_URL: natsUrl,
    GATEWAY_PORT: '0',
    GATEWAY_JWT_SECRET: TEST_JWT_SECRET,
    GATEWAY_AUTH_RATE_LIMIT: '100000',
    GATEWAY_LOG_LEVEL: 'debug',
    ...env,
  });
  const rawLogs: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line === '') continue;
        rawLogs.push(line);
        logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const gateway = await createGateway(config, { logDestination: destination });
  await gateway.app.listen(0, '127.0.0.1');
  const { port } = gateway.app.getHttpServer().address() as AddressInfo;
  const tokens = new TokenService(TEST_JWT_SECRET);
  return {
    gateway,
    baseUrl: `http://127.0.0.1:${port}`,
    logs,
    rawLogs,
    token: async (actor) => (await tokens.issue(actor)).token,
    stop: () => gateway.close(),
  };
}
