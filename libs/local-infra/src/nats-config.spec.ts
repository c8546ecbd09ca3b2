import { inboxPrefixOf, type NatsPrincipal } from '@sec-health/protocol';
import { describe, expect, it } from 'vitest';

import { isLocalInfraError, LocalInfraErrorCode } from './errors.js';
import { natsServerConfig } from './nats-config.js';
import { createNatsIdentity } from './nats-identity.js';

function principal(name: string, overrides: Partial<NatsPrincipal> = {}): NatsPrincipal {
  return {
    name,
    publish: [],
    subscribe: [],
    allowResponses: false,
    inboxPrefix: inboxPrefixOf(name),
    ...overrides,
  };
}

const gateway = principal('gateway', {
  publish: ['authority.>'],
  subscribe: ['_INBOX_gateway.>', 'events.>'],
});
const authority = principal('authority', {
  publish: ['events.participant.>'],
  subscribe: ['authority.>'],
  allowResponses: true,
});
const gatewayKey = createNatsIdentity('gateway').publicKey;
const authorityKey = createNatsIdentity('authority').publicKey;

function invalidArgument(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(isLocalInfraError(error, LocalInfraErrorCode.InvalidArgument)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected an InvalidArgument error');
}

/** The `{ ... }` entry of one user, found by its public key. */
function entryOf(config: string, publicKey: string): string {
  const start = config.indexOf(`nkey: ${publicKey}`);
  expect(start).toBeGreaterThan(0);
  return config.slice(start, config.indexOf('\n    }', start));
}

describe('natsServerConfig', () => {
  const config = natsServerConfig({
    host: '127.0.0.1',
    port: 4322,
    storeDir: '/var/lib/sec-health/nats',
    principals: [
      { principal: gateway, publicKey: gatewayKey },
      { principal: authority, publicKey: authorityKey },
    ],
  });

  it('listens where asked, with JetStream in the store dir and the default max_payload', () => {
    expect(config).toContain('listen: "127.0.0.1:4322"');
    expect(config).toMatch(/jetstream \{\n {2}store_dir: "\/var\/lib\/sec-health\/nats"\n\}/);
    expect(config).not.toContain('max_payload');
    expect(config).not.toContain('tls {');
  });

  it('has one NKey user per principal and no anonymous user', () => {
    expect(config.match(/nkey: U[A-Z2-7]{55}\n/g)).toHaveLength(2);
    expect(config).not.toMatch(/no_auth_user|password|token/);
    expect(config).toMatch(/authorization \{\n {2}users = \[/);
  });

  it('renders each principal its own permissions', () => {
    const gw = entryOf(config, gatewayKey);
    expect(gw).toContain('publish: { allow: ["authority.>"] }');
    expect(gw).toContain('subscribe: { allow: ["_INBOX_gateway.>", "events.>"] }');
    expect(gw).toContain('allow_responses: false');
    const au = entryOf(config, authorityKey);
    expect(au).toContain('publish: { allow: ["events.participant.>"] }');
    expect(au).toContain('subscribe: { allow: ["authority.>"] }');
    expect(au).toContain('allow_responses: true');
  });

  it('denies everything for an empty list (nats-server reads an empty allow as "anything")', () => {
    const intruderKey = createNatsIdentity('intruder').publicKey;
    const text = natsServerConfig({
      host: '127.0.0.1',
      port: 4322,
      principals: [{ principal: principal('intruder'), publicKey: intruderKey }],
    });
    const entry = entryOf(text, intruderKey);
    expect(entry).toContain('publish: { deny: [">"] }');
    expect(entry).toContain('subscribe: { deny: [">"] }');
    expect(entry).not.toContain('allow: []');
    expect(text).not.toContain('jetstream');
  });

  it('adds a tls block, with client verification only when asked', () => {
    const base = {
      host: '0.0.0.0',
      port: 4222,
      principals: [{ principal: gateway, publicKey: gatewayKey }],
    };
    const serverOnly = natsServerConfig({
      ...base,
      tls: { certFile: '/c/server.pem', keyFile: '/c/server.key' },
    });
    expect(serverOnly).toMatch(
      /tls \{\n {2}cert_file: "\/c\/server.pem"\n {2}key_file: "\/c\/server.key"\n/,
    );
    expect(serverOnly).not.toContain('verify');
    const mutual = natsServerConfig({
      ...base,
      tls: { certFile: '/c/s.pem', keyFile: '/c/s.key', caFile: '/c/ca.pem', verifyClients: true },
    });
    expect(mutual).toContain('ca_file: "/c/ca.pem"');
    expect(mutual).toContain('verify: true');
    invalidArgument(() =>
      natsServerConfig({ ...base, tls: { certFile: 'a', keyFile: 'b', verifyClients: true } }),
    );
  });

  it('refuses what could break out of the config or grant more than written', () => {
    const one = (p: NatsPrincipal, publicKey = gatewayKey) =>
      natsServerConfig({ host: '127.0.0.1', port: 1, principals: [{ principal: p, publicKey }] });
    expect(invalidArgument(() => one(principal('gw', { publish: ['a"] } }'] })))).toContain(
      'is not a subject',
    );
    invalidArgument(() => one(principal('gw', { subscribe: ['a.>.b'] })));
    invalidArgument(() => one(principal('gw', { subscribe: ['a..b'] })));
    invalidArgument(() => one(principal('gw', { subscribe: ['a b'] })));
    invalidArgument(() => one(principal('gw\nusers = [')));
    invalidArgument(() => one(principal('gw'), 'UNOTAKEY'));
    invalidArgument(() => one(principal('gw'), createNatsIdentity('x').seed));
    invalidArgument(() =>
      natsServerConfig({
        host: '127.0.0.1',
        port: 1,
        storeDir: '/tmp/x"\nauthorization {}',
        principals: [{ principal: gateway, publicKey: gatewayKey }],
      }),
    );
    invalidArgument(() => natsServerConfig({ host: '127.0.0.1', port: 1, principals: [] }));
    invalidArgument(() =>
      natsServerConfig({
        host: '127.0.0.1',
        port: 1,
        principals: [
          { principal: gateway, publicKey: gatewayKey },
          { principal: gateway, publicKey: authorityKey },
        ],
      }),
    );
    invalidArgument(() =>
      natsServerConfig({
        host: '127.0.0.1',
        port: 1,
        principals: [
          { principal: gateway, publicKey: gatewayKey },
          { principal: authority, publicKey: gatewayKey },
        ],
      }),
    );
  });
});
