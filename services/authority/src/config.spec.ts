import { fileURLToPath } from 'node:url';

import { ConfigError } from '@sec-health/service-kit';
import { describe, expect, it } from 'vitest';

import { authorityConfig } from './config.js';

const SERVICE_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const GATEWAY_PUBLIC_KEY = 'o4mDQ0fhUz_k1g-yHLoEchQzbL4Gd3sM_1SWSvk3e1A';

function thrown(f: () => unknown): ConfigError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('authorityConfig', () => {
  it('has working development defaults, paths from the repository root', () => {
    const config = authorityConfig({ GATEWAY_PUBLIC_KEY }, SERVICE_DIR);
    expect(config).toMatchObject({
      nats: { url: 'nats://127.0.0.1:4222', nkeySeedFile: undefined, tls: undefined },
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      rpcUrl: 'http://127.0.0.1:8545',
      chainId: 31337,
      gatewayPublicKey: GATEWAY_PUBLIC_KEY,
      pending: { ttlHours: 168, maxPerOrganization: 500 },
    });
    expect(config.addressBookPath).toBe(`${REPO_ROOT}.sec-health/contracts.json`);
    expect(config.home).toBe(`${REPO_ROOT}.sec-health`);
  });

  it('keeps absolute paths', () => {
    const config = authorityConfig({ GATEWAY_PUBLIC_KEY, SECHEALTH_HOME: '/tmp/home' }, '/');
    expect(config.home).toBe('/tmp/home');
  });

  it('names every bad variable at once', () => {
    const error = thrown(() =>
      authorityConfig({ AUTHORITY_CHAIN_KEY: '0x12', NATS_URL: 'http://x' }),
    );
    expect(error.variables).toEqual(
      expect.arrayContaining(['AUTHORITY_CHAIN_KEY', 'NATS_URL', 'GATEWAY_PUBLIC_KEY']),
    );
  });

  it('lets the setup command run without the gateway key', () => {
    expect(authorityConfig({}, SERVICE_DIR, 'setup').chainId).toBe(31337);
  });

  it.each([
    ['a chain other than the development one', { CHAIN_ID: '2018' }],
    ['NODE_ENV=production', { NODE_ENV: 'production' }],
  ])('refuses development defaults on %s, naming them (issue #10 finding 7)', (_where, env) => {
    const error = thrown(() => authorityConfig({ GATEWAY_PUBLIC_KEY, ...env }));
    expect(error.variables).toEqual([
      'NATS_NKEY_SEED_FILE',
      'AUTHORITY_CHAIN_KEY',
      'AUTHORITY_PASSPHRASE',
      'SECHEALTH_PASSPHRASE',
      'AUTHORITY_LEDGER_WRITERS',
    ]);
    expect(error.message).toContain("anvil's account 0");
  });

  it('starts outside development once every secret is given', () => {
    const config = authorityConfig({
      GATEWAY_PUBLIC_KEY,
      CHAIN_ID: '2018',
      NATS_NKEY_SEED_FILE: '/run/secrets/authority.nk',
      AUTHORITY_CHAIN_KEY: `0x${'11'.repeat(32)}`,
      AUTHORITY_PASSPHRASE: 'a long production passphrase',
      SECHEALTH_PASSPHRASE: 'another long production passphrase',
      AUTHORITY_LEDGER_WRITERS: 'ANCHOR_ROLE=0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    });
    expect(config.chainId).toBe(2018);
  });
});
