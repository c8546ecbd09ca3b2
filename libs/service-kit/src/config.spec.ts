import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { ConfigError, isDevelopment, loadConfig } from './config.js';

const Schema = z.object({
  NATS_URL: z.url().default('nats://127.0.0.1:4222'),
  CHAIN_ID: z.coerce.number().int().positive().default(31337),
  SECRET_KEY: z.string().regex(/^0x[0-9a-f]{64}$/, 'must be a 0x-prefixed 32-byte hex key'),
});

describe('loadConfig', () => {
  it('applies defaults and coerces', () => {
    const config = loadConfig(Schema, { SECRET_KEY: `0x${'ab'.repeat(32)}` });
    expect(config).toEqual({
      NATS_URL: 'nats://127.0.0.1:4222',
      CHAIN_ID: 31337,
      SECRET_KEY: `0x${'ab'.repeat(32)}`,
    });
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig(Schema, { CHAIN_ID: ' ', SECRET_KEY: `0x${'00'.repeat(32)}` });
    expect(config.CHAIN_ID).toBe(31337);
  });

  it('names every bad variable and never echoes the value', () => {
    let error: unknown;
    try {
      loadConfig(Schema, { CHAIN_ID: 'abc', SECRET_KEY: 'hunter2-secret' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.variables).toEqual(['CHAIN_ID', 'SECRET_KEY']);
    expect(configError.message).toMatch(/CHAIN_ID: .*; SECRET_KEY: must be a 0x-prefixed/);
    expect(configError.message).not.toContain('hunter2');
  });

  it('ignores variables outside the schema', () => {
    expect(() =>
      loadConfig(Schema, { SECRET_KEY: `0x${'00'.repeat(32)}`, OTHER: 'x' }),
    ).not.toThrow();
  });
});

describe('development defaults (issue #10 finding 7)', () => {
  const Dev = z.object({
    CHAIN_ID: z.coerce.number().default(31337),
    CHAIN_KEY: z.string().default('0xanvil-account-0'),
    PASSPHRASE: z.string().default('dev-passphrase'),
  });
  const developmentDefaults = {
    CHAIN_KEY: 'anvil account 0',
    PASSPHRASE: 'the built-in passphrase',
  };

  it('are used on the development chain', () => {
    expect(loadConfig(Dev, {}, { developmentDefaults }).CHAIN_KEY).toBe('0xanvil-account-0');
    expect(isDevelopment({})).toBe(true);
  });

  it.each([
    ['another chain', { CHAIN_ID: '1337' }],
    ['NODE_ENV=production', { NODE_ENV: 'production' }],
  ])('are refused on %s, naming every variable left at one', (_where, env) => {
    let error: unknown;
    try {
      loadConfig(Dev, env, { developmentDefaults });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variables).toEqual(['CHAIN_KEY', 'PASSPHRASE']);
    expect((error as ConfigError).message).toContain('anvil account 0');
    expect(isDevelopment(env)).toBe(false);
  });

  it('are not needed once the variables are set', () => {
    const env = { NODE_ENV: 'production', CHAIN_KEY: '0xreal', PASSPHRASE: 'a real one' };
    expect(loadConfig(Dev, env, { developmentDefaults })).toMatchObject({ CHAIN_KEY: '0xreal' });
  });
});
