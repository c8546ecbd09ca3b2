import { describe, expect, it } from 'vitest';

import { processEnvironment, STACK_PROCESSES, type StackProcess } from './stack.js';

const secrets = {
  natsUrl: 'nats://127.0.0.1:4322',
  seedFiles: { authority: '/creds/authority.nk', gateway: '/creds/gateway.nk' },
  gatewayKey: { file: '/keys/gateway', publicKey: 'PUBLIC' },
  databaseUrls: { authority: 'postgres://db/authority' },
};
const base = {
  PATH: '/usr/bin',
  CHAIN_ID: '31337',
  LOG_LEVEL: 'info',
  AUTHORITY_PASSPHRASE: 'the authority own',
  SECHEALTH_PASSPHRASE: 'profiles',
  GATEWAY_PORT: '8080',
  GATEWAY_SIGNING_KEY_FILE: '/somewhere/else',
  AWS_SECRET_ACCESS_KEY: 'not ours',
};
const byName = (name: string): StackProcess => STACK_PROCESSES.find((p) => p.name === name)!;

describe('processEnvironment', () => {
  it("gives a service its own variables and secrets, and never the gateway's key or others' secrets", () => {
    const env = processEnvironment(byName('authority'), base, secrets);
    expect(env).toEqual({
      PATH: '/usr/bin',
      CHAIN_ID: '31337',
      LOG_LEVEL: 'info',
      AUTHORITY_PASSPHRASE: 'the authority own',
      SECHEALTH_PASSPHRASE: 'profiles',
      NATS_URL: 'nats://127.0.0.1:4322',
      NATS_NKEY_SEED_FILE: '/creds/authority.nk',
      GATEWAY_PUBLIC_KEY: 'PUBLIC',
      AUTHORITY_DATABASE_URL: 'postgres://db/authority',
    });
  });

  it('gives the gateway its signing key file and the services to watch, not a database', () => {
    const env = processEnvironment(byName('gateway'), base, secrets);
    expect(env).toMatchObject({
      GATEWAY_PORT: '8080',
      GATEWAY_SIGNING_KEY_FILE: '/keys/gateway',
      GATEWAY_SERVICES: 'authority,storage,sharing,callcenter',
      NATS_NKEY_SEED_FILE: '/creds/gateway.nk',
    });
    expect(env).not.toHaveProperty('GATEWAY_PUBLIC_KEY');
    expect(env).not.toHaveProperty('AUTHORITY_PASSPHRASE');
    expect(env).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
  });

  it('leaves the NATS credentials out of a setup command', () => {
    const env = processEnvironment(byName('authority'), base, secrets, { withNats: false });
    expect(env).not.toHaveProperty('NATS_NKEY_SEED_FILE');
  });
});
