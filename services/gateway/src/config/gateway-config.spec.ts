import { describe, expect, it } from 'vitest';

import { ConfigError, loadGatewayConfig } from './gateway-config.js';

describe('loadGatewayConfig', () => {
  it('has working defaults and a generated development secret', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      natsUrl: 'nats://127.0.0.1:4222',
      requestTimeoutMs: 5_000,
      services: ['authority'],
      jwtSecretGenerated: true,
    });
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('reads every variable', () => {
    const config = loadGatewayConfig({
      GATEWAY_PORT: '0',
      GATEWAY_HOST: '0.0.0.0',
      NATS_URL: 'nats://a:4222,tls://b:4222',
      GATEWAY_JWT_SECRET: 'x'.repeat(40),
      GATEWAY_REQUEST_TIMEOUT_MS: '250',
      GATEWAY_SERVICES: 'authority, storage',
    });
    expect(config).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      requestTimeoutMs: 250,
      services: ['authority', 'storage'],
      jwtSecretGenerated: false,
    });
  });

  it.each([
    ['GATEWAY_PORT', '70000'],
    ['GATEWAY_PORT', '80a'],
    ['NATS_URL', 'http://x:4222'],
    ['NATS_URL', '::'],
    ['GATEWAY_JWT_SECRET', 'short'],
    ['GATEWAY_REQUEST_TIMEOUT_MS', '-1'],
    ['GATEWAY_SERVICES', 'Authority'],
    ['GATEWAY_LOG_LEVEL', 'loud'],
  ])('names %s when it is %j, without echoing the value', (variable, value) => {
    let caught: unknown;
    try {
      loadGatewayConfig({ [variable]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe(variable);
    expect((caught as ConfigError).message).toContain(variable);
    if (variable === 'GATEWAY_JWT_SECRET') {
      expect((caught as ConfigError).message).not.toContain(value);
    }
  });
});
