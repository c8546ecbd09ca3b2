import { connect, nkeyAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { inboxPrefixOf } from '@sec-health/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createDevCertificates,
  freePort,
  makeTempDir,
  prepareNatsServer,
  startNatsServer,
  type DevCertificates,
  type PreparedNatsServer,
  type StartedNatsServer,
} from '../src/index.js';

let certificates: DevCertificates;
let prepared: PreparedNatsServer;
let server: StartedNatsServer;
let removeDir: () => Promise<void>;

function gatewayOptions() {
  return {
    servers: server.url,
    authenticator: nkeyAuthenticator(new TextEncoder().encode(prepared.credentials.gateway!.seed)),
    inboxPrefix: inboxPrefixOf('gateway'),
    reconnect: false,
    timeout: 5_000,
  };
}

beforeAll(async () => {
  const dir = await makeTempDir('sec-health-nats-tls-');
  removeDir = dir.remove;
  certificates = await createDevCertificates(`${dir.path}/tls`);
  const port = await freePort();
  prepared = prepareNatsServer({
    dir: `${dir.path}/nats`,
    host: '127.0.0.1',
    port,
    storeDir: false,
    tls: { certFile: certificates.certFile, keyFile: certificates.keyFile },
  });
  server = await startNatsServer({
    configFile: prepared.configFile,
    serverName: prepared.serverName,
    port,
  });
});

afterAll(async () => {
  await server?.stop();
  await removeDir?.();
});

describe('nats-server with TLS from throwaway certificates', () => {
  it('requires TLS', () => {
    expect(server.info.tls_required).toBe(true);
  });

  it('a client that trusts the throwaway CA connects over TLS', async () => {
    let nc: NatsConnection | undefined;
    try {
      nc = await connect({ ...gatewayOptions(), tls: { caFile: certificates.caFile } });
      await nc.flush();
      expect(nc.info?.tls_required).toBe(true);
    } finally {
      await nc?.close();
    }
  });

  it('a client that does not trust the CA is refused', async () => {
    const error = await connect({ ...gatewayOptions(), tls: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toMatch(/certificate/i);
  });
});
