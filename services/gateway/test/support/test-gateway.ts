import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { generateSigningKeyPair, toBase64Url } from '@sec-health/crypto';
import { GATEWAY_PRINCIPAL } from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';
import type { SecureTestNats } from '@sec-health/testing';

import { createGateway, type Gateway } from '../../src/app/create-gateway.js';
import { TokenService } from '../../src/auth/token.service.js';
import { loadGatewayConfig } from '../../src/config.js';

export interface TestGateway {
  readonly gateway: Gateway;
  readonly baseUrl: string;
  /** The gateway's Ed25519 signing key (seed) and public key, base64url. */
  readonly seed: Uint8Array;
  readonly publicKey: string;
  /** The 0600 file holding the seed (GATEWAY_SIGNING_KEY_FILE). */
  readonly keyFile: string;
  /** Every log line written so far, parsed. */
  readonly logs: Record<string, unknown>[];
  readonly rawLogs: string[];
  /** A session token as the gateway issues at login (key version 1 unless the actor says). */
  token(actor: Omit<Actor, 'keyVersion'> & { keyVersion?: number }): Promise<string>;
  stop(): Promise<void>;
}

/** A gateway on 127.0.0.1 port 0, in this process, as the `gateway` principal, logging into memory. */
export async function startTestGateway(
  nats: SecureTestNats,
  env: Record<string, string> = {},
): Promise<TestGateway> {
  const keys = generateSigningKeyPair();
  const dir = mkdtempSync(join(tmpdir(), 'gateway-key-'));
  const keyFile = join(dir, 'signing-key');
  writeFileSync(keyFile, toBase64Url(keys.secretKey));
  chmodSync(keyFile, 0o600);
  const config = loadGatewayConfig({
    ...nats.envFor(GATEWAY_PRINCIPAL),
    GATEWAY_PORT: '0',
    GATEWAY_SIGNING_KEY_FILE: keyFile,
    GATEWAY_AUTH_RATE_LIMIT: '100000',
    GATEWAY_IP_RATE_LIMIT: '100000',
    GATEWAY_REGISTER_RATE_LIMIT: '100000',
    GATEWAY_ACTOR_RATE_LIMIT: '100000',
    LOG_LEVEL: 'debug',
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
  const publicKey = toBase64Url(keys.publicKey);
  const tokens = await TokenService.create({ seed: keys.secretKey, publicKey });
  return {
    gateway,
    baseUrl: `http://127.0.0.1:${port}`,
    seed: keys.secretKey,
    publicKey,
    keyFile,
    logs,
    rawLogs,
    token: async (actor) => (await tokens.issue({ keyVersion: 1, ...actor })).token,
    stop: async () => {
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
