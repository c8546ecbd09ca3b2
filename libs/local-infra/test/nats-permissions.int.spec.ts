import {
  connect,
  nkeyAuthenticator,
  PermissionViolationError,
  type NatsConnection,
} from '@nats-io/transport-node';
import { inboxPrefixOf, type NatsPrincipal } from '@sec-health/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createNatsIdentity,
  freePort,
  makeTempDir,
  nextPermissionViolation as nextViolation,
  permissionViolationIn as violationIn,
  prepareNatsServer,
  startNatsServer,
  subscriptionRefusal,
  type PreparedNatsServer,
  type StartedNatsServer,
} from '../src/index.js';

// The generated nats-server config, against a real nats-server: each principal can do what
// natsPrincipals() grants and nothing else; nobody gets in without a listed NKey.

const intruder: NatsPrincipal = {
  name: 'intruder',
  publish: [],
  subscribe: [],
  allowResponses: false,
  inboxPrefix: inboxPrefixOf('intruder'),
};

let prepared: PreparedNatsServer;
let server: StartedNatsServer;
let removeDir: () => Promise<void>;
const connections: NatsConnection[] = [];

function seedOf(name: string): Uint8Array {
  return new TextEncoder().encode(prepared.credentials[name]!.seed);
}

async function connectAs(name: string, seed = seedOf(name)): Promise<NatsConnection> {
  const nc = await connect({
    servers: server.url,
    authenticator: nkeyAuthenticator(seed),
    inboxPrefix: inboxPrefixOf(name),
    reconnect: false,
    timeout: 5_000,
    name,
  });
  connections.push(nc);
  return nc;
}

beforeAll(async () => {
  const dir = await makeTempDir('sec-health-nats-perm-');
  removeDir = dir.remove;
  const port = await freePort();
  prepared = prepareNatsServer({
    dir: dir.path,
    host: '127.0.0.1',
    port,
    extraPrincipals: [intruder],
  });
  server = await startNatsServer({
    configFile: prepared.configFile,
    serverName: prepared.serverName,
    port,
  });
});

afterAll(async () => {
  await Promise.all(connections.map((nc) => nc.close().catch(() => undefined)));
  await server?.stop();
  await removeDir?.();
});

describe('a nats-server from the generated config', () => {
  it('announces authentication and JetStream', () => {
    expect(server.info.auth_required).toBe(true);
    expect(server.info.jetstream).toBe(true);
  });

  it('refuses an anonymous connection (Authorization Violation)', async () => {
    const error = await connect({ servers: server.url, reconnect: false, timeout: 5_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toMatch(/authorization violation/i);
  });

  it('refuses a principal with a seed the server does not know', async () => {
    const stranger = new TextEncoder().encode(createNatsIdentity('gateway').seed);
    const error = await connectAs('gateway', stranger).catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(/authorization violation/i);
  });

  it('the gateway requests authority.x and the authority answers', async () => {
    const authority = await connectAs('authority');
    const sub = authority.subscribe('authority.>', { queue: 'authority' });
    void (async () => {
      for await (const msg of sub) msg.respond(`answer to ${msg.string()}`);
    })();
    await authority.flush();

    const gateway = await connectAs('gateway');
    const reply = await gateway.request('authority.x', 'ping', { timeout: 5_000 });
    expect(reply.string()).toBe('answer to ping');
    expect(reply.subject.startsWith(`${inboxPrefixOf('gateway')}.`)).toBe(true);
  });

  it('the gateway receives the authority’s events', async () => {
    const gateway = await connectAs('gateway');
    const sub = gateway.subscribe('events.participant.>', { max: 1 });
    await gateway.flush();
    const authority = await connectAs('authority');
    authority.publish('events.participant.registered', 'p1');
    await authority.flush();
    for await (const msg of sub) expect(msg.string()).toBe('p1');
  });

  it('the authority cannot publish a request subject: authority.x nor storage.x', async () => {
    const authority = await connectAs('authority');
    const violation = nextViolation(authority);
    authority.publish('authority.x', 'forged');
    expect(await violation).toMatchObject({ operation: 'publish', subject: 'authority.x' });

    const request = await authority
      .request('storage.x', 'forged', { timeout: 5_000 })
      .catch((e: unknown) => e);
    expect(violationIn(request)).toBeInstanceOf(PermissionViolationError);
  });

  it('the authority cannot subscribe to > nor to the gateway’s inbox', async () => {
    const authority = await connectAs('authority');
    expect(await subscriptionRefusal(authority, '>')).toMatchObject({
      operation: 'subscription',
      subject: '>',
    });
    expect(await subscriptionRefusal(authority, `${inboxPrefixOf('gateway')}.>`)).toBeInstanceOf(
      PermissionViolationError,
    );
  });

  it('the gateway cannot subscribe to authority.> nor publish events', async () => {
    const gateway = await connectAs('gateway');
    expect(await subscriptionRefusal(gateway, 'authority.>')).toBeInstanceOf(
      PermissionViolationError,
    );
    const violation = nextViolation(gateway);
    gateway.publish('events.participant.registered', 'forged');
    expect(await violation).toMatchObject({ operation: 'publish' });
  });

  it('a request without the principal’s own inbox prefix gets no reply subject', async () => {
    const gateway = await connect({
      servers: server.url,
      authenticator: nkeyAuthenticator(seedOf('gateway')),
      reconnect: false,
      timeout: 5_000,
    });
    connections.push(gateway);
    const error = await gateway
      .request('authority.x', 'ping', { timeout: 5_000 })
      .catch((e: unknown) => e);
    expect(violationIn(error)).toMatchObject({ operation: 'subscription' });
  });

  it('a principal listed with no permissions may connect but do nothing', async () => {
    const nc = await connectAs('intruder');
    expect(await subscriptionRefusal(nc, 'events.>')).toBeInstanceOf(PermissionViolationError);
    const violation = nextViolation(nc);
    nc.publish('authority.x', 'forged');
    expect(await violation).toMatchObject({ operation: 'publish', subject: 'authority.x' });
  });
});
