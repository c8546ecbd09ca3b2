import { createServer, type Server, type Socket } from 'node:net';

import {
  fromBase64Url,
  generateParticipantKeys,
  toBase64Url,
  verifyCanonical,
  type ParticipantKeys,
} from '@sec-health/crypto';
import { isProtocolError, rotationStatement } from '@sec-health/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ClientErrorCode, isClientError } from '../src/errors.js';
import { keysSigner } from '../src/sdk/admin-actions.js';
import { SecHealthClient } from '../src/sdk/client.js';
import { FakeGateway } from './fake-gateway.js';

const gateway = new FakeGateway();

beforeAll(async () => {
  await gateway.start();
});
afterAll(async () => {
  await gateway.stop();
});

async function registered(keys: ParticipantKeys): Promise<{ client: SecHealthClient; id: string }> {
  const client = new SecHealthClient({ apiUrl: `${gateway.url}/` });
  const participant = await client.register(
    { role: 'patient', profile: { displayName: '  Ada  ' } },
    keys,
  );
  return { client, id: participant.id };
}

function secretsOf(keys: ParticipantKeys): string[] {
  return [toBase64Url(keys.signing.secretKey), toBase64Url(keys.encryption.secretKey)];
}

describe('SecHealthClient against a stand-in gateway', () => {
  it('registers with a proof the gateway verifies, omitting absent optional fields', async () => {
    const keys = generateParticipantKeys();
    const { id } = await registered(keys);
    const sent = gateway.requests.at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/v1/participants');
    expect(sent.contentType).toBe('application/json');
    expect(sent.authorization).toBeUndefined();
    const body = JSON.parse(sent.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['keys', 'profile', 'proof', 'role']);
    // The proof covers the trimmed name, the same value the server parses.
    expect(body.profile).toEqual({ displayName: 'Ada' });
    expect(gateway.participants.get(id)?.keys.signing).toBe(toBase64Url(keys.signing.publicKey));
  });

  it('registers a collaborator with kind and organization', async () => {
    const keys = generateParticipantKeys();
    const client = new SecHealthClient({ apiUrl: gateway.url });
    const organizationId = '0192f7a4-1c2b-7d3e-8f40-123456789abc';
    const p = await client.register(
      {
        role: 'collaborator',
        kind: 'lab',
        organizationId,
        profile: { displayName: 'Lab One', email: 'lab@example.org' },
      },
      keys,
    );
    expect(p).toMatchObject({ kind: 'lab', organizationId, status: 'pending' });
  });

  it('logs in with a challenge signature the gateway verifies and keeps the token', async () => {
    const keys = generateParticipantKeys();
    const { client, id } = await registered(keys);
    const session = await client.login(id, keys);
    expect(client.token).toBe(session.token);
    const me = await client.whoami();
    expect(me).toEqual({ participantId: id, role: 'patient', organizationId: null });
    const whoami = gateway.requests.at(-1)!;
    expect(whoami).toMatchObject({ method: 'GET', url: '/v1/auth/whoami' });
    expect(whoami.authorization).toBe(`Bearer ${session.token}`);
    for (const request of gateway.requests) {
      for (const secret of secretsOf(keys)) expect(request.body).not.toContain(secret);
    }
  });

  it('rejects a login signed by other keys with the gateway error code and message', async () => {
    const { client, id } = await registered(generateParticipantKeys());
    const error = await client.login(id, generateParticipantKeys()).catch((e: unknown) => e);
    expect(isProtocolError(error, 'UNAUTHENTICATED')).toBe(true);
    expect((error as Error).message).toBe('the login signature does not verify');
    expect(client.token).toBeUndefined();
  });

  it('fills path parameters and sends GET filters as a query', async () => {
    const keys = generateParticipantKeys();
    const { client, id } = await registered(keys);
    await client.login(id, keys);
    expect((await client.getParticipant(id)).id).toBe(id);
    expect(gateway.requests.at(-1)).toMatchObject({ method: 'GET', url: `/v1/participants/${id}` });
    const list = await client.searchParticipants({ role: 'patient', limit: 5 });
    expect(list.items.every((p) => p.role === 'patient')).toBe(true);
    expect(gateway.requests.at(-1)?.url).toBe('/v1/participants?role=patient&limit=5');
    const missing = await client
      .getParticipant('0192f7a4-1c2b-7d3e-8f40-000000000000')
      .catch((e: unknown) => e);
    expect(isProtocolError(missing, 'NOT_FOUND')).toBe(true);
  });

  it('refuses an authenticated route without a token, before sending anything', async () => {
    const client = new SecHealthClient({ apiUrl: gateway.url });
    const before = gateway.requests.length;
    const error = await client.whoami().catch((e: unknown) => e);
    expect(isClientError(error, ClientErrorCode.NotLoggedIn)).toBe(true);
    expect(gateway.requests.length).toBe(before);
  });

  it('reports invalid input as VALIDATION_FAILED without sending it', async () => {
    const client = new SecHealthClient({ apiUrl: gateway.url });
    const before = gateway.requests.length;
    const error = await client.challenge('not-a-uuid').catch((e: unknown) => e);
    expect(isProtocolError(error, 'VALIDATION_FAILED')).toBe(true);
    expect((error as Error).message).toContain('participantId');
    expect(gateway.requests.length).toBe(before);
  });

  it('turns a response outside the contract into UnexpectedResponse', async () => {
    const client = new SecHealthClient({ apiUrl: gateway.url });
    try {
      gateway.override = { status: 200, body: '{"challengeId":"x"}' };
      const bad = await client.challenge(crypto.randomUUID()).catch((e: unknown) => e);
      expect(isClientError(bad, ClientErrorCode.UnexpectedResponse)).toBe(true);
      gateway.override = { status: 502, body: '<html>bad gateway</html>' };
      const html = await client.challenge(crypto.randomUUID()).catch((e: unknown) => e);
      expect(isClientError(html, ClientErrorCode.UnexpectedResponse)).toBe(true);
      expect((html as Error).message).toContain('HTTP 502');
    } finally {
      gateway.override = undefined;
    }
  });

  it('says the gateway is unreachable, and how to start it, when nothing listens', async () => {
    const port = await freePort();
    const apiUrl = `http://127.0.0.1:${port}`;
    const error = await new SecHealthClient({ apiUrl })
      .challenge(crypto.randomUUID())
      .catch((e: unknown) => e);
    expect(isClientError(error, ClientErrorCode.GatewayUnreachable)).toBe(true);
    expect((error as Error).message).toContain(apiUrl);
    expect((error as Error).message).toContain('npm start');
  });

  it('gives up after timeoutMs on a gateway that never answers', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const apiUrl = `http://127.0.0.1:${portOf(silent)}`;
      const started = Date.now();
      const error = await new SecHealthClient({ apiUrl, timeoutMs: 200 })
        .challenge(crypto.randomUUID())
        .catch((e: unknown) => e);
      expect(isClientError(error, ClientErrorCode.GatewayUnreachable)).toBe(true);
      expect((error as { details: { timedOut: boolean } }).details.timedOut).toBe(true);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('rotates keys with the current key signing the statement and the new key proving possession', async () => {
    const bodies: string[] = [];
    const id = crypto.randomUUID();
    const client = new SecHealthClient({
      apiUrl: 'http://gateway.test',
      token: 't0',
      fetch: async (_input, init) => {
        bodies.push(init?.body as string);
        return new Response(JSON.stringify({ code: 'NOT_FOUND', message: 'stand-in' }), {
          status: 404,
        });
      },
    });
    const currentKeys = generateParticipantKeys();
    const newKeys = generateParticipantKeys();
    await client.rotateKeys(id, 3, currentKeys, newKeys).catch(() => undefined);
    const body = JSON.parse(bodies[0]!) as {
      keyVersion: number;
      keys: { signing: string; encryption: string };
      signedAt: string;
      signature: string;
      proof: string;
    };
    expect(Object.keys(body).sort()).toEqual([
      'keyVersion',
      'keys',
      'proof',
      'signature',
      'signedAt',
    ]);
    const statement = rotationStatement({
      participantId: id,
      keyVersion: 3,
      keys: body.keys,
      signedAt: body.signedAt,
    });
    expect(
      verifyCanonical(currentKeys.signing.publicKey, statement, fromBase64Url('s', body.signature)),
    ).toBe(true);
    expect(
      verifyCanonical(newKeys.signing.publicKey, statement, fromBase64Url('proof', body.proof)),
    ).toBe(true);
    for (const secret of [currentKeys.signing.secretKey, newKeys.signing.secretKey]) {
      expect(bodies[0]).not.toContain(toBase64Url(secret));
    }
  });

  it('signs approve, revoke and organization create with the actor keys', async () => {
    const adminKeys = generateParticipantKeys();
    const { client, id: adminId } = await registered(adminKeys);
    gateway.activate(adminId);
    await client.login(adminId, adminKeys);
    const { id: targetId } = await registered(generateParticipantKeys());
    const signer = keysSigner(adminId, adminKeys);

    expect((await client.approveParticipant(targetId, signer)).status).toBe('active');
    const body = JSON.parse(gateway.requests.at(-1)!.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['authorization']);
    expect(gateway.requests.at(-1)!.body).not.toContain(secretsOf(adminKeys)[0]);
    const revoked = await client.revokeParticipant(targetId, '  left  ', signer);
    expect(revoked.status).toBe('revoked');
    // A patient's own valid signature gets past the signature check, not the role check.
    const org = await client.createOrganization('Mercy', signer).catch((e: unknown) => e);
    expect(isProtocolError(org, 'FORBIDDEN')).toBe(true);

    const forged = keysSigner(adminId, generateParticipantKeys());
    const refused = await client.approveParticipant(targetId, forged).catch((e: unknown) => e);
    expect(isProtocolError(refused, 'UNAUTHENTICATED')).toBe(true);
  });

  it('uses an injected fetch', async () => {
    const seen: string[] = [];
    const client = new SecHealthClient({
      apiUrl: 'http://gateway.test',
      token: 't0',
      fetch: async (input, init) => {
        seen.push(`${init?.method} ${input as string} ${JSON.stringify(init?.headers)}`);
        return new Response(JSON.stringify({ code: 'CONFLICT', message: 'already exists' }), {
          status: 409,
        });
      },
    });
    const signer = keysSigner('0192f7a4-1c2b-7d3e-8f40-123456789abc', generateParticipantKeys());
    const error = await client.createOrganization('Mercy', signer).catch((e: unknown) => e);
    expect(isProtocolError(error, 'CONFLICT')).toBe(true);
    expect(seen[0]).toContain('POST http://gateway.test/v1/organizations');
    expect(seen[0]).toContain('Bearer t0');
  });
});

function portOf(server: Server): number {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('not listening');
  return address.port;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = portOf(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}
