import { readFileSync } from 'node:fs';

import { ErrorBodySchema, type Health, type Participant } from '@sec-health/protocol';
import { provideDatabase, providePrivatePostgres, type PrivatePostgres } from '@sec-health/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cliRunner, json, type CliResult } from '../e2e/cli.js';
import { waitFor } from '../e2e/processes.js';
import { PASSPHRASE, startStack, type Stack } from '../e2e/stack.js';

// Issue #11 item 4: nothing a dependency does becomes a 500. With the system running as npm start
// runs it, PostgreSQL is stopped, then the chain frozen: the gateway answers 503 with a message
// that names the dependency, /health says which one is down, and everything recovers when they
// return. The database is a private cluster, so stopping it disturbs no other suite.

let postgres: PrivatePostgres;
let stack: Stack;
let cli: (...argv: string[]) => Promise<CliResult>;
let token: string;
let adminId: string;

beforeAll(async () => {
  postgres = await providePrivatePostgres();
  const db = await provideDatabase({ env: { DATABASE_URL: postgres.adminUrl }, docker: false });
  stack = await startStack({ db });
  cli = cliRunner({
    SECHEALTH_HOME: stack.home,
    SECHEALTH_PASSPHRASE: PASSPHRASE,
    SECHEALTH_API: stack.gatewayUrl,
    SECHEALTH_SCRYPT_N: '1024',
  });
  expect((await cli('--profile', 'authority-admin', 'login')).code).toBe(0);
  adminId = (
    await json<{ participantId: string }>(cli('--profile', 'authority-admin', '--json', 'whoami'))
  ).participantId;
  token = (
    JSON.parse(readFileSync(`${stack.home}/profiles/authority-admin.json`, 'utf8')) as {
      session: { token: string };
    }
  ).session.token;
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  await postgres?.stop();
}, 60_000);

const me = () =>
  fetch(`${stack.gatewayUrl}/v1/participants/${adminId}`, {
    headers: { authorization: `Bearer ${token}` },
  });

async function health(): Promise<{ status: number; body: Health[] }> {
  const response = await fetch(`${stack.gatewayUrl}/health`);
  return { status: response.status, body: (await response.json()) as Health[] };
}

describe('a dependency down under a running service', () => {
  it('PostgreSQL stopped: 503 naming the database, /health says so, and recovery when it returns', async () => {
    expect((await me()).status).toBe(200);
    await postgres.halt();
    try {
      const response = await me();
      expect(response.status).toBe(503);
      expect(ErrorBodySchema.parse(await response.json())).toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
        message: 'the database is unavailable; retry shortly',
      });
      const down = await health();
      expect(down.status).toBe(503);
      expect(down.body.find((h) => h.service === 'authority')?.dependencies.postgres?.status).toBe(
        'down',
      );
    } finally {
      await postgres.start();
    }
    await waitFor(
      'the authority to answer again',
      async () => ((await me()).status === 200 ? true : undefined),
      30_000,
      () => stack.diagnostics(),
    );
    expect((await health()).status).toBe(200);
  });

  it('chain frozen: /health says the chain is down; a change meanwhile is kept and anchored once it returns', async () => {
    await stack.chain.pause();
    let approved: Participant;
    try {
      const down = await health();
      expect(down.status).toBe(503);
      const chain = down.body.find((h) => h.service === 'authority')?.dependencies.chain;
      expect(chain).toMatchObject({
        status: 'down',
        detail: expect.stringContaining('no answer') as unknown,
      });
      // Writes do not wait for the chain: the outbox keeps the anchor until it is back.
      await cli('--profile', 'outage-patient', 'init', '--role', 'patient', '--name', 'Bea Lima');
      const registered = await json<Participant>(
        cli('--profile', 'outage-patient', '--json', 'register'),
      );
      approved = await json<Participant>(
        cli('--profile', 'authority-admin', '--json', 'participants', 'approve', registered.id),
      );
      expect(approved.status).toBe('active');
      expect(approved.attestation?.anchor.status).toBe('pending');
    } finally {
      await stack.chain.resume();
    }
    const anchored = await waitFor(
      'the attestation made during the outage to be anchored',
      async () => {
        const p = await json<Participant>(
          cli('--profile', 'authority-admin', '--json', 'participants', 'show', approved.id),
        );
        return p.attestation?.anchor.status === 'confirmed' ? p : undefined;
      },
      60_000,
      () => stack.diagnostics(),
    );
    expect(anchored.attestation?.anchor.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect((await health()).status).toBe(200);
  });
});
