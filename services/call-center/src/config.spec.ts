import { fileURLToPath } from 'node:url';

import { ConfigError } from '@sec-health/service-kit';
import { describe, expect, it } from 'vitest';

import { callCenterConfig } from './config.js';

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

describe('callCenterConfig', () => {
  it('has working development defaults, the address book from the repository root', () => {
    const config = callCenterConfig({ GATEWAY_PUBLIC_KEY }, SERVICE_DIR);
    expect(config).toMatchObject({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      rpcUrl: 'http://127.0.0.1:8545',
      chainId: 31337,
      chainKey: '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
      anchorTimeoutMs: 3_000,
      defaultSessionMinutes: 60,
      expirySweepMs: 15_000,
    });
    expect(config.addressBookPath).toBe(`${REPO_ROOT}.sec-health/contracts.json`);
  });

  it('names every bad variable at once', () => {
    const error = thrown(() =>
      callCenterConfig({
        CALLCENTER_CHAIN_KEY: '0x12',
        CALLCENTER_DATABASE_URL: 'http://db',
        CALLCENTER_DEFAULT_SESSION_MINUTES: '2',
      }),
    );
    expect(error.variables).toEqual(
      expect.arrayContaining([
        'CALLCENTER_CHAIN_KEY',
        'CALLCENTER_DATABASE_URL',
        'CALLCENTER_DEFAULT_SESSION_MINUTES',
        'GATEWAY_PUBLIC_KEY',
      ]),
    );
  });

  it('refuses the development chain key outside development, naming it', () => {
    const error = thrown(() => callCenterConfig({ GATEWAY_PUBLIC_KEY, NODE_ENV: 'production' }));
    expect(error.variables).toEqual(['NATS_NKEY_SEED_FILE', 'CALLCENTER_CHAIN_KEY']);
    expect(error.message).toContain("anvil's account 3");
  });
});
