import { connect } from '@nats-io/transport-node';
import { provideSecureNats, type SecureTestNats } from '@sec-health/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { natsConfigOf, serviceEnvironment } from '../src/common-config.js';
import { loadConfig } from '../src/config.js';
import { natsConnectionOptions } from '../src/nats-connection.js';

// The NATS settings every process reads (NATS_URL, NATS_NKEY_SEED_FILE, NATS_TLS_*), against
// real nats-servers configured as npm start configures them: with TLS on, and without it.

const Schema = z.object(serviceEnvironment);
let tls: SecureTestNats;
let plain: SecureTestNats;

beforeAll(async () => {
  [tls, plain] = await Promise.all([provideSecureNats({ tls: true }), provideSecureNats()]);
});

afterAll(async () => {
  await Promise.all([tls?.stop(), plain?.stop()]);
});

function connectWith(env: Record<string, string>, principal = 'authority') {
  const config = natsConfigOf(loadConfig(Schema, env));
  return connect({ ...natsConnectionOptions(config, principal), reconnect: false });
}

describe('NATS connection from configuration', () => {
  it('connects with TLS when NATS_TLS_CA_FILE names the CA, and the link is encrypted', async () => {
    const env = tls.envFor('authority');
    expect(env.NATS_TLS_CA_FILE).toBeDefined();
    const nc = await connectWith(env);
    try {
      expect(nc.info?.tls_required).toBe(true);
      await nc.flush();
    } finally {
      await nc.close();
    }
  });

  it('refuses a TLS server whose certificate it cannot verify', async () => {
    const { NATS_TLS_CA_FILE: _ca, ...withoutCa } = tls.envFor('authority');
    await expect(connectWith(withoutCa)).rejects.toThrow();
  });

  it("connects as the process's own principal, and not without its credentials", async () => {
    const nc = await connectWith(plain.envFor('authority'));
    await nc.close();
    const { NATS_NKEY_SEED_FILE: _seed, ...anonymous } = plain.envFor('authority');
    await expect(connectWith(anonymous)).rejects.toThrow(/Authorization Violation/i);
  });
});
