import { fileURLToPath } from 'node:url';

import { ConfigError } from '@sec-health/service-kit';
import { describe, expect, it } from 'vitest';

import { sharingConfig } from './config.js';

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

describe('sharingConfig', () => {
  it('has working development defaults, the address book from the repository root', () => {
    const config = sharingConfig({ GATEWAY_PUBLIC_KEY }, SERVICE_DIR);
    expect(config).toMatchObject({
      nats: { url: 'nats://127.0.0.1:4222', nkeySeedFile: undefined, tls: undefined },
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      rpcUrl: 'http://127.0.0.1:8545',
      chainId: 31337,
      chainKey: '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
      gatewayPublicKey: GATEWAY_PUBLIC_KEY,
    });
    expect(config.addressBookPath).toBe(`${REPO_ROOT}.sec-health/contracts.json`);
  });

  it('names every bad variable at once', () => {
    const error = thrown(() =>
      sharingConfig({ SHARING_CHAIN_KEY: '0x12', SHARING_DATABASE_URL: 'http://db' }),
    );
    expect(error.variables).toEqual(
      expect.arrayContaining(['SHARING_CHAIN_KEY', 'SHARING_DATABASE_URL', 'GATEWAY_PUBLIC_KEY']),
    );
  });

  it.each([
    ['a chain other than the development one', { CHAIN_ID: '2018' }],
    ['NODE_ENV=production', { NODE_ENV: 'production' }],
  ])('refuses development defaults on %s, naming them', (_where, env) => {
    const error = thrown(() => sharingConfig({ GATEWAY_PUBLIC_KEY, ...env }));
    expect(error.variables).toEqual(['NATS_NKEY_SEED_FILE', 'SHARING_CHAIN_KEY']);
    expect(error.message).toContain("anvil's account 2");
  });

  it('starts outside development once every secret is given', () => {
    const config = sharingConfig({
      GATEWAY_PUBLIC_KEY,
      CHAIN_ID: '2018',
      NATS_NKEY_SEED_FILE: '/run/secrets/sharing.nk',
      SHARING_CHAIN_KEY: `0x${'11'.repeat(32)}`,
      LEDGER_ADDRESS_BOOK: '/etc/sec-health/contracts.json',
    });
    expect(config.chainId).toBe(2018);
    expect(config.addressBookPath).toBe('/etc/sec-health/contracts.json');
  });
});
