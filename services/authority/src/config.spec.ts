import { fileURLToPath } from 'node:url';

import { ConfigError } from '@sec-health/service-kit';
import { describe, expect, it } from 'vitest';

import { authorityConfig } from './config.js';

const SERVICE_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('authorityConfig', () => {
  it('has working defaults, paths from the repository root', () => {
    const config = authorityConfig({}, SERVICE_DIR);
    expect(config).toMatchObject({
      natsUrl: 'nats://127.0.0.1:4222',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      rpcUrl: 'http://127.0.0.1:8545',
      chainId: 31337,
    });
    expect(config.addressBookPath).toBe(`${REPO_ROOT}.sec-health/contracts.json`);
    expect(config.home).toBe(`${REPO_ROOT}.sec-health`);
  });

  it('keeps absolute paths', () => {
    const config = authorityConfig({ SECHEALTH_HOME: '/tmp/home' }, '/');
    expect(config.home).toBe('/tmp/home');
  });

  it('names a bad variable', () => {
    expect(() => authorityConfig({ AUTHORITY_CHAIN_KEY: '0x12' })).toThrow(ConfigError);
    expect(() => authorityConfig({ NATS_URL: 'http://x' })).toThrow(/NATS_URL/);
  });
});
