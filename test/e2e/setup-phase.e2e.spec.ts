import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { httpRoutes, type Organization, type Participant, type WhoAmI } from '@sec-health/protocol';
import { Contract, JsonRpcProvider, Network } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cliRunner, json, type CliResult } from './cli.js';
import { waitFor } from './processes.js';
import { PASSPHRASE, startStack, type Stack } from './stack.js';

// The setup phase end to end (issue #5): the authority and the gateway as separate processes,
// started as npm start starts them, on a private authenticated NATS, PostgreSQL and anvil; every
// user action through the sechealth CLI; attestations checked on chain with a plain ethers read,
// not through our ledger library.

const REGISTRY_ABI = [
  'function status(bytes32) view returns (uint8 status, bytes32 attestationHash, uint64 updatedAt)',
];
const ACTIVE = 1n;
const REVOKED = 2n;

let stack: Stack;
let home: string;
let gatewayUrl: string;
let cli: (...argv: string[]) => Promise<CliResult>;
let registry: Contract;
let provider: JsonRpcProvider;

const diagnostics = () => stack.diagnostics();

beforeAll(async () => {
  stack = await startStack();
  ({ home, gatewayUrl } = stack);
  cli = cliRunner({
    SECHEALTH_HOME: home,
    SECHEALTH_PASSPHRASE: PASSPHRASE,
    SECHEALTH_API: gatewayUrl,
    SECHEALTH_SCRYPT_N: '1024',
  });
  provider = new JsonRpcProvider(stack.chain.rpcUrl, Network.from(stack.chain.chainId), {
    staticNetwork: true,
    batchMaxCount: 1,
  });
  const book = JSON.parse(await readFile(join(home, 'contracts.json'), 'utf8')) as Record<
    string,
    { contracts: { ParticipantRegistry: string } }
  >;
  registry = new Contract(
    book[String(stack.chain.chainId)]!.contracts.ParticipantRegistry,
    REGISTRY_ABI,
    provider,
  );
}, 240_000);

afterAll(async () => {
  provider?.destroy();
  await stack?.stop();
}, 60_000);

async function ok(result: Promise<CliResult>): Promise<CliResult> {
  const done = await result;
  if (done.code !== 0) throw new Error(`sechealth failed (${done.code}): ${done.stderr}`);
  return done;
}

async function onChain(participant: Participant): Promise<{ status: bigint; hash: string }> {
  const [status, hash] = (await registry.getFunction('status')(participant.participantRef)) as [
    bigint,
    string,
  ];
  return { status, hash };
}

/** Waits until the participant's attestation anchor is confirmed, reading it as the authority. */
async function anchored(id: string): Promise<Participant> {
  return waitFor(
    `the attestation of ${id} to be anchored`,
    async () => {
      const p = await json<Participant>(
        cli('--profile', 'authority-admin', '--json', 'participants', 'show', id),
      );
      return p.attestation?.anchor.status === 'confirmed' ? p : undefined;
    },
    60_000,
    diagnostics,
  );
}

describe('setup phase, end to end', () => {
  let org: Organization;
  let physician: Participant;
  let patient: Participant;

  it('lets the authority create an organization and approve its admin', async () => {
    await ok(cli('--profile', 'authority-admin', 'login'));
    org = await json<Organization>(
      cli('--profile', 'authority-admin', '--json', 'org', 'create', '--name', 'General Hospital'),
    );
    await ok(
      cli(
        '--profile',
        'hospital-admin',
        'init',
        '--role',
        'org-admin',
        '--org',
        org.id,
        '--name',
        'Hospital Admin',
      ),
    );
    const admin = await json<Participant>(cli('--profile', 'hospital-admin', '--json', 'register'));
    expect(admin.status).toBe('pending');
    await ok(cli('--profile', 'authority-admin', 'participants', 'approve', admin.id));
    await ok(cli('--profile', 'hospital-admin', 'login'));
  });

  it('lets an org admin enrol a physician, and a self-registered patient wait for approval', async () => {
    await ok(
      cli(
        '--profile',
        'doctor',
        'init',
        '--role',
        'collaborator',
        '--kind',
        'physician',
        '--org',
        org.id,
        '--name',
        'Dr. Silva',
      ),
    );
    physician = await json<Participant>(cli('--profile', 'doctor', '--json', 'register'));
    await ok(cli('--profile', 'hospital-admin', 'participants', 'approve', physician.id));

    await ok(cli('--profile', 'patient', 'init', '--role', 'patient', '--name', 'Ana Souza'));
    patient = await json<Participant>(cli('--profile', 'patient', '--json', 'register'));
    expect(patient.status).toBe('pending');
    const early = await cli('--profile', 'patient', 'login');
    expect(early.code).toBe(1);
    await ok(cli('--profile', 'authority-admin', 'participants', 'approve', patient.id));
  });

  it('logs both in through the CLI', async () => {
    for (const [profile, who] of [
      ['doctor', physician],
      ['patient', patient],
    ] as const) {
      await ok(cli('--profile', profile, 'login'));
      const me = await json<WhoAmI>(cli('--profile', profile, '--json', 'whoami'));
      expect(me.participantId).toBe(who.id);
      expect(me.role).toBe(who.role);
    }
  });

  it('anchors each attestation: a plain ethers read finds its hash on chain', async () => {
    for (const who of [physician, patient]) {
      const p = await anchored(who.id);
      const chainView = await onChain(p);
      expect(chainView.status).toBe(ACTIVE);
      expect(chainView.hash).toBe(p.attestation!.hash);
      const receipt = await provider.getTransactionReceipt(p.attestation!.anchor.txHash!);
      expect(receipt?.blockNumber).toBe(p.attestation!.anchor.blockNumber);
    }
  });

  it('rotates keys through the CLI: old sessions end, the new keys log in, the chain has the new attestation', async () => {
    const before = JSON.parse(await readFile(join(home, 'profiles', 'patient.json'), 'utf8')) as {
      session: { token: string };
    };
    const rotated = await json<{ keyVersion: number }>(
      cli('--profile', 'patient', '--json', 'keys', 'rotate'),
    );
    expect(rotated.keyVersion).toBe(2);
    const stale = await fetch(`${gatewayUrl}/v1/auth/whoami`, {
      headers: { authorization: `Bearer ${before.session.token}` },
    });
    expect(stale.status).toBe(401);
    await ok(cli('--profile', 'patient', 'login'));
    expect(
      (await json<WhoAmI>(cli('--profile', 'patient', '--json', 'whoami'))).participantId,
    ).toBe(patient.id);
    const p = await waitFor(
      'the new attestation to be anchored',
      async () => {
        const now = await anchored(patient.id);
        return now.attestation?.attestation.keyVersion === 2 ? now : undefined;
      },
      60_000,
      diagnostics,
    );
    expect((await onChain(p)).hash).toBe(p.attestation!.hash);
  });

  it('stops a revoked participant from logging in, and the directory reports the revocation', async () => {
    await ok(
      cli(
        '--profile',
        'hospital-admin',
        'participants',
        'revoke',
        physician.id,
        '--reason',
        'left the hospital',
      ),
    );
    const refused = await cli('--profile', 'doctor', 'login');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/revoked|not active|forbidden|denied/i);

    await waitFor(
      'the revocation to be on chain',
      async () => ((await onChain(physician)).status === REVOKED ? true : undefined),
      60_000,
      diagnostics,
    );
    const token = JSON.parse(await readFile(join(home, 'profiles', 'patient.json'), 'utf8')) as {
      session: { token: string };
    };
    const response = await fetch(`${gatewayUrl}/v1/directory/${physician.id}`, {
      headers: { authorization: `Bearer ${token.session.token}` },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { status: string }).status).toBe('revoked');
  });

  it('answers malformed input on every route with a typed 4xx, never a 5xx, and stays healthy', async () => {
    const { session } = JSON.parse(
      await readFile(join(home, 'profiles', 'authority-admin.json'), 'utf8'),
    ) as {
      session: { token: string };
    };
    const uuid = '0190c6d2-7b7e-7a6e-8f00-000000000000';
    const bodies: unknown[] = [
      '{not json',
      [],
      { participantId: 12 },
      { participantId: uuid, extra: true },
      {
        name: 'x'.repeat(10_000),
        reason: 7,
        keys: { signing: 'short', encryption: 1 },
        proof: 'zz',
      },
    ];
    const statuses: number[] = [];
    for (const route of httpRoutes) {
      const path = route.path.replace(/\{\w+\}/g, 'not-a-uuid');
      for (const body of bodies) {
        const init: RequestInit = {
          method: route.method.toUpperCase(),
          headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
        };
        const url =
          route.method === 'get' ? `${gatewayUrl}${path}?limit=abc&role=7` : `${gatewayUrl}${path}`;
        if (route.method === 'post')
          init.body = typeof body === 'string' ? body : JSON.stringify(body);
        const response = await fetch(url, init);
        statuses.push(response.status);
        const error = (await response.json()) as { code?: string; message?: string };
        if (response.status >= 400) expect(typeof error.code).toBe('string');
      }
    }
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.filter((status) => status >= 400).length).toBeGreaterThan(httpRoutes.length);
    expect((await fetch(`${gatewayUrl}/health`)).status).toBe(200);
  });
});
