import { statSync } from 'node:fs';

import { connect, type NatsConnection } from '@nats-io/transport-node';
import { natsPrincipals } from '@sec-health/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  isProcessAlive,
  isTestInfraError,
  provideSecureNats,
  TestInfraErrorCode,
  type SecureTestNats,
} from '../src/index.js';

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('provideSecureNats', () => {
  let nats: SecureTestNats;
  const connections: NatsConnection[] = [];
  beforeAll(async () => {
    nats = await provideSecureNats({ extraPrincipals: [{ name: 'intruder' }] });
  });
  afterAll(async () => {
    await Promise.all(connections.map((nc) => nc.close().catch(() => undefined)));
    await nats?.stop();
  });

  it('gives every principal its own seed file (0600, in a 0700 folder)', () => {
    const names = [...natsPrincipals().map((p) => p.name), 'intruder'];
    expect(Object.keys(nats.identities).sort()).toEqual(names.sort());
    expect(mode(nats.credentialsDir)).toBe(0o700);
    for (const identity of Object.values(nats.identities)) {
      expect(identity.seed).toMatch(/^SU/);
      expect(identity.publicKey).toMatch(/^U/);
      expect(mode(identity.seedFile)).toBe(0o600);
    }
    expect(nats.envFor('authority')).toEqual({
      NATS_URL: nats.url,
      NATS_NKEY_SEED_FILE: nats.identities.authority!.seedFile,
    });
  });

  it('refuses anonymous clients and lets principals do what the table grants', async () => {
    const anonymous = await connect({ servers: nats.url, reconnect: false }).catch(
      (e: unknown) => e,
    );
    expect(String((anonymous as Error).message)).toMatch(/authorization violation/i);

    const authority = await connect({ ...nats.connectOptions('authority'), reconnect: false });
    connections.push(authority);
    const sub = authority.subscribe('authority.>', { queue: 'authority' });
    void (async () => {
      for await (const msg of sub) msg.respond('pong');
    })();
    await authority.flush();
    const gateway = await connect({ ...nats.connectOptions('gateway'), reconnect: false });
    connections.push(gateway);
    expect((await gateway.request('authority.ping', '', { timeout: 5_000 })).string()).toBe('pong');
  });

  it('an extra principal without permissions can subscribe to nothing', async () => {
    const intruder = await connect({ ...nats.connectOptions('intruder'), reconnect: false });
    connections.push(intruder);
    const sub = intruder.subscribe('authority.>');
    await intruder.flush();
    expect(String(await sub.closed)).toMatch(/permissions violation/i);
  });

  it('names the known principals when asked for an unknown one', () => {
    let error: unknown;
    try {
      nats.connectOptions('storage-x');
    } catch (caught) {
      error = caught;
    }
    expect(isTestInfraError(error, TestInfraErrorCode.Unsupported)).toBe(true);
    expect((error as Error).message).toContain('gateway');
  });

  it('with tls: true, serves TLS that clients trusting the returned CA accept', async () => {
    const secure = await provideSecureNats({ tls: true });
    try {
      expect(secure.caFile).toMatch(/ca\.pem$/);
      expect(secure.envFor('gateway').NATS_TLS_CA_FILE).toBe(secure.caFile);
      const nc = await connect({ ...secure.connectOptions('gateway'), reconnect: false });
      expect(nc.info?.tls_required).toBe(true);
      await nc.close();
      const untrusting = await connect({
        ...secure.connectOptions('gateway'),
        tls: {},
        reconnect: false,
      }).catch((e: unknown) => e);
      expect(untrusting).toBeInstanceOf(Error);
    } finally {
      await secure.stop();
    }
    expect(isProcessAlive(secure.pid)).toBe(false);
  });

  it('fails clearly when tls: true and there is no openssl', async () => {
    const error = await provideSecureNats({
      tls: true,
      env: { ...process.env, PATH: '/nonexistent' },
    }).catch((e: unknown) => e);
    expect(isTestInfraError(error, TestInfraErrorCode.TlsUnavailable)).toBe(true);
    expect((error as Error).message).toContain('openssl');
  });

  it('stop() kills the server and is idempotent', async () => {
    const other = await provideSecureNats();
    expect(isProcessAlive(other.pid)).toBe(true);
    await other.stop();
    await other.stop();
    expect(isProcessAlive(other.pid)).toBe(false);
  });
});
