import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import {
  connect,
  headers,
  nkeyAuthenticator,
  PermissionViolationError,
  type NatsConnection,
} from '@nats-io/transport-node';
import {
  generateParticipantKeys,
  generateSigningKeyPair,
  signCanonical,
  toBase64Url,
} from '@sec-health/crypto';
import {
  nextPermissionViolation,
  permissionViolationIn,
  subscriptionRefusal,
} from '@sec-health/local-infra';
import {
  GATEWAY_PRINCIPAL,
  Header,
  natsContracts,
  rotationStatement,
  type Reply,
} from '@sec-health/protocol';
import { ActorAssertionSigner } from '@sec-health/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cliRunner, json, type CliResult } from '../e2e/cli.js';
import { PASSPHRASE, startStack, type Stack } from '../e2e/stack.js';

// What an attacker on the machine tries, against the processes as npm start runs them (issue #10):
// NATS without credentials or with another process's, forged actor assertions, a stolen session
// used to rotate keys, a small-order key at registration.

let stack: Stack;
let cli: (...argv: string[]) => Promise<CliResult>;
const connections: NatsConnection[] = [];

beforeAll(async () => {
  stack = await startStack({ extraNatsPrincipals: [{ name: 'intruder' }] });
  cli = cliRunner({
    SECHEALTH_HOME: stack.home,
    SECHEALTH_PASSPHRASE: PASSPHRASE,
    SECHEALTH_API: stack.gatewayUrl,
    SECHEALTH_SCRYPT_N: '1024',
  });
}, 240_000);

afterAll(async () => {
  await Promise.all(connections.map((nc) => nc.close().catch(() => undefined)));
  await stack?.stop();
}, 60_000);

async function connectAs(name: string): Promise<NatsConnection> {
  const nc = await connect(stack.nats.connectOptions(name));
  connections.push(nc);
  return nc;
}

async function requestFailure(
  nc: NatsConnection,
  subject: string,
  body: unknown,
): Promise<unknown> {
  return nc.request(subject, JSON.stringify(body), { timeout: 3_000 }).then(
    () => new Error(`${subject} answered`),
    (error: unknown) => error,
  );
}

describe('NATS: no anonymous access, and each process only its own subjects', () => {
  it('refuses an anonymous connection: it can neither publish nor subscribe to >', async () => {
    await expect(
      connect({ servers: stack.nats.url, reconnect: false, timeout: 3_000 }),
    ).rejects.toThrow(/Authorization Violation/i);
  });

  it('refuses an NKey the server does not know', async () => {
    const { createUser } = await import('@nats-io/nkeys');
    await expect(
      connect({
        servers: stack.nats.url,
        reconnect: false,
        timeout: 3_000,
        authenticator: nkeyAuthenticator(createUser().getSeed()),
      }),
    ).rejects.toThrow(/Authorization Violation/i);
  });

  it("does not let the authority's credentials send service requests, nor read the gateway's replies", async () => {
    const authority = await connectAs('authority');
    const request = await requestFailure(authority, natsContracts.directoryGet.subject, {
      participantId: randomUUID(),
    });
    expect(permissionViolationIn(request)).toBeInstanceOf(PermissionViolationError);
    expect(await subscriptionRefusal(authority, '>')).toBeInstanceOf(PermissionViolationError);
    expect(
      await subscriptionRefusal(await connectAs('authority'), '_INBOX_gateway.>'),
    ).toBeInstanceOf(PermissionViolationError);
    const other = await connectAs('authority');
    const violation = nextPermissionViolation(other);
    other.publish('events.session.opened', '{}');
    expect(await violation).toBeInstanceOf(PermissionViolationError);
  });

  it("does not let the gateway's credentials listen on a service's subjects or answer for it", async () => {
    const gateway = await connectAs(GATEWAY_PRINCIPAL);
    expect(await subscriptionRefusal(gateway, 'authority.>')).toBeInstanceOf(
      PermissionViolationError,
    );
    expect(await subscriptionRefusal(await connectAs(GATEWAY_PRINCIPAL), '>')).toBeInstanceOf(
      PermissionViolationError,
    );
  });

  it("keeps the services' reads of each other off the gateway's credentials (ADR 0006)", async () => {
    for (const contract of [
      natsContracts.participantsResolve,
      natsContracts.emergencyServersResolve,
      natsContracts.accessCheck,
    ]) {
      const gateway = await connectAs(GATEWAY_PRINCIPAL);
      const request = await requestFailure(gateway, contract.subject, {});
      expect(permissionViolationIn(request), contract.subject).toBeInstanceOf(
        PermissionViolationError,
      );
    }
  });

  it('lets a service read another only on its listed subjects, never call its mutations', async () => {
    const storage = await connectAs('storage');
    const resolved = (
      await storage.request(
        natsContracts.participantsResolve.subject,
        JSON.stringify({ ids: [randomUUID()] }),
        { timeout: 5_000 },
      )
    ).json<Reply<{ items: unknown[] }>>();
    expect(resolved).toEqual({ ok: true, data: { items: [] } });
    for (const [who, subject] of [
      ['storage', natsContracts.grantCreate.subject],
      ['storage', natsContracts.participantApprove.subject],
      ['sharing', natsContracts.recordPut.subject],
      ['sharing', natsContracts.accessCheck.subject],
      ['sharing', natsContracts.emergencyServersResolve.subject],
      ['authority', natsContracts.accessCheck.subject],
    ] as const) {
      const request = await requestFailure(await connectAs(who), subject, {});
      expect(permissionViolationIn(request), `${who} → ${subject}`).toBeInstanceOf(
        PermissionViolationError,
      );
    }
    expect(await subscriptionRefusal(await connectAs('storage'), 'sharing.>')).toBeInstanceOf(
      PermissionViolationError,
    );
    expect(
      await subscriptionRefusal(await connectAs('sharing'), 'internal.authority.>'),
    ).toBeInstanceOf(PermissionViolationError);
  });

  it('lets a listed principal without permissions do nothing at all', async () => {
    const intruder = await connectAs('intruder');
    expect(await subscriptionRefusal(intruder, 'authority.>')).toBeInstanceOf(
      PermissionViolationError,
    );
    const request = await requestFailure(
      await connectAs('intruder'),
      'authority.participant.search',
      {},
    );
    expect(permissionViolationIn(request)).toBeInstanceOf(PermissionViolationError);
  });
});

describe('actor assertions', () => {
  async function askDirectory(signer: ActorAssertionSigner | undefined, plainHeaders = false) {
    const gateway = await connectAs(GATEWAY_PRINCIPAL);
    const body = { participantId: randomUUID() };
    const h = headers();
    h.set(Header.RequestId, randomUUID());
    if (plainHeaders) {
      h.set('x-actor-id', randomUUID());
      h.set('x-actor-role', 'authority');
    }
    if (signer) {
      h.set(
        Header.ActorAssertion,
        await signer.sign({
          subject: natsContracts.directoryGet.subject,
          body,
          requestId: randomUUID(),
          actor: { id: randomUUID(), role: 'authority', organizationId: null, keyVersion: 1 },
        }),
      );
    }
    const reply = await gateway.request(natsContracts.directoryGet.subject, JSON.stringify(body), {
      timeout: 5_000,
      headers: h,
    });
    return reply.json<Reply<unknown>>();
  }

  it("refuses one signed by any key but the gateway's, even on the gateway's own NATS credentials", async () => {
    const forger = await ActorAssertionSigner.fromSeed(generateSigningKeyPair().secretKey);
    expect(await askDirectory(forger)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });

  it('refuses plain actor headers, the way the old gateway sent the actor', async () => {
    expect(await askDirectory(undefined, true)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });

  it("gives no service the gateway's signing key: the authority holds only its public key", () => {
    const authority = stack.processes.find((p) => p.name === 'authority')!;
    const environ = readFileSync(`/proc/${authority.child.pid}/environ`, 'utf8').split('\0');
    const names = environ.map((entry) => entry.split('=')[0]);
    expect(names).toContain('GATEWAY_PUBLIC_KEY');
    expect(names).not.toContain('GATEWAY_SIGNING_KEY_FILE');
    expect(names).not.toContain('GATEWAY_JWT_SECRET');
    const gatewaySeed = readFileSync(
      stack.envOf('gateway').GATEWAY_SIGNING_KEY_FILE!,
      'utf8',
    ).trim();
    expect(environ.join('\n')).not.toContain(gatewaySeed);
    expect(stack.envOf('authority').NATS_NKEY_SEED_FILE).not.toBe(
      stack.envOf('gateway').NATS_NKEY_SEED_FILE,
    );
  });
});

describe('accounts over HTTP', () => {
  it('refuses a key rotation signed by anything but the current key, even with a valid session', async () => {
    expect((await cli('--profile', 'authority-admin', 'login')).code).toBe(0);
    const me = await json<{ participantId: string }>(
      cli('--profile', 'authority-admin', '--json', 'whoami'),
    );
    const { session } = JSON.parse(
      readFileSync(`${stack.home}/profiles/authority-admin.json`, 'utf8'),
    ) as { session: { token: string } };
    const attacker = generateParticipantKeys();
    const keys = {
      signing: toBase64Url(attacker.signing.publicKey),
      encryption: toBase64Url(attacker.encryption.publicKey),
    };
    const signedAt = new Date().toISOString();
    const statement = rotationStatement({
      participantId: me.participantId,
      keyVersion: 1,
      keys,
      signedAt,
    });
    const sign = (key: Uint8Array) => toBase64Url(signCanonical(key, statement));
    const response = await fetch(`${stack.gatewayUrl}/v1/participants/${me.participantId}/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        keyVersion: 1,
        keys,
        signedAt,
        signature: sign(attacker.signing.secretKey),
        proof: sign(attacker.signing.secretKey),
      }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    // The admin's own keys still work.
    expect((await cli('--profile', 'authority-admin', 'login')).code).toBe(0);
  });

  it('refuses a small-order key at registration with a typed 400', async () => {
    // The identity point, and the signature identity || 0 that verified every message before.
    const identity = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0));
    const forgedProof = new Uint8Array(64);
    forgedProof.set(identity);
    const response = await fetch(`${stack.gatewayUrl}/v1/participants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        role: 'patient',
        keys: {
          signing: toBase64Url(identity),
          encryption: toBase64Url(generateParticipantKeys().encryption.publicKey),
        },
        profile: { displayName: 'Mallory' },
        proof: toBase64Url(forgedProof),
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { reason: 'WEAK_KEY', issues: [{ path: 'keys.signing' }] },
    });
  });
});
