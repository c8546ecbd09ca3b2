import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { contractArtifacts } from '@sec-health/contracts';
import {
  uuidToBytes32,
  type EmergencySession,
  type Organization,
  type Participant,
} from '@sec-health/protocol';
import { Contract, encodeBytes32String, JsonRpcProvider, Network, type EventLog } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cliRunner, json, type CliResult } from './cli.js';
import { waitFor } from './processes.js';
import { PASSPHRASE, startStack, type Stack } from './stack.js';
import { collaborator, ok, organization, patient } from './support/people.js';
import { sdkAs } from './support/profile-keys.js';

// Emergency sessions at the call center (issue #13, first part): the call-center as its own
// process, as npm start runs it; attendants and collaborators through the CLI; the chain read with
// plain ethers. A session exists only once SessionOpened is on chain.

let stack: Stack;
let cli: (...argv: string[]) => Promise<CliResult>;
let provider: JsonRpcProvider;
let log: Contract;

let centre: Organization;
let hospital: Organization;
let attendant: Participant;
let doctorA: Participant;
let doctorB: Participant;
let ana: Participant;

beforeAll(async () => {
  stack = await startStack();
  cli = cliRunner({
    SECHEALTH_HOME: stack.home,
    SECHEALTH_PASSPHRASE: PASSPHRASE,
    SECHEALTH_API: stack.gatewayUrl,
    SECHEALTH_SCRYPT_N: '1024',
  });
  provider = new JsonRpcProvider(stack.chain.rpcUrl, Network.from(stack.chain.chainId), {
    staticNetwork: true,
    batchMaxCount: 1,
    cacheTimeout: -1,
  });
  const book = JSON.parse(await readFile(join(stack.home, 'contracts.json'), 'utf8')) as Record<
    string,
    { contracts: { EmergencyAccessLog: string } }
  >;
  log = new Contract(
    book[String(stack.chain.chainId)]!.contracts.EmergencyAccessLog,
    contractArtifacts.EmergencyAccessLog.abi,
    provider,
  );
  centre = await organization(cli, 'Emergency Call Centre');
  hospital = await organization(cli, 'Saint Luke Hospital');
  attendant = await enrolAttendant('attendant', centre, 'Carla Attendant');
  doctorA = await collaborator(cli, hospital, 'doctor-a', 'physician', 'Dr. Alves');
  doctorB = await collaborator(cli, hospital, 'doctor-b', 'physician', 'Dr. Braga');
  ana = await patient(cli, 'ana', 'Ana Souza');
}, 300_000);

afterAll(async () => {
  provider?.destroy();
  await stack?.stop();
}, 60_000);

async function enrolAttendant(profile: string, org: Organization, name: string) {
  const admin = `${org.name.toLowerCase().replace(/\W+/g, '-')}-admin`;
  await ok(
    cli('--profile', profile, 'init', '--role', 'attendant', '--org', org.id, '--name', name),
  );
  const who = await json<Participant>(cli('--profile', profile, '--json', 'register'));
  await ok(cli('--profile', admin, 'participants', 'approve', who.id));
  await ok(cli('--profile', profile, 'login'));
  return who;
}

const as = (profile: string, ...argv: string[]) => cli('--profile', profile, '--json', ...argv);

async function refusedWith(result: Promise<CliResult>, code: string): Promise<void> {
  const done = await result;
  expect(done.code, done.stdout).toBe(1);
  expect((JSON.parse(done.stderr) as { error: { code: string } }).error.code).toBe(code);
}

async function patientRef(): Promise<string> {
  const anaSdk = await sdkAs(stack.gatewayUrl, stack.home, 'ana', PASSPHRASE);
  return (await anaSdk.client.getDirectoryEntry(ana.id)).participantRef!;
}

describe('emergency sessions at the call center', () => {
  let session: EmergencySession;

  it('opens a session only once SessionOpened is on chain, and an independent read finds it', async () => {
    session = await json<EmergencySession>(
      as(
        'attendant',
        'emergency',
        'open',
        '--patient',
        ana.id,
        '--collaborator',
        doctorA.id,
        '--reason',
        'ETREAT',
        '--notes',
        'unconscious after a fall',
        '--location',
        'Rua Augusta 12',
      ),
    );
    expect(session.status).toBe('open');
    expect(session.attendantId).toBe(attendant.id);
    expect(session.organizationId).toBe(centre.id);
    expect(session.anchor.status).toBe('confirmed');
    const events = (await log.queryFilter(
      log.filters.SessionOpened!(await patientRef(), uuidToBytes32(session.sessionId)),
    )) as EventLog[];
    expect(events).toHaveLength(1);
    expect(events[0]!.transactionHash).toBe(session.anchor.txHash);
    expect(events[0]!.args.reasonCode).toBe(encodeBytes32String('ETREAT'));
    expect(Number(events[0]!.args.expiresAt)).toBe(Date.parse(session.expiresAt) / 1000);
  });

  it("lists the centre's open sessions for its attendant and shows one to its collaborator", async () => {
    const listed = await json<EmergencySession[]>(as('attendant', 'emergency', 'list'));
    expect(listed.map((s) => s.sessionId)).toContain(session.sessionId);
    const seen = await json<EmergencySession>(
      as('doctor-a', 'emergency', 'show', session.sessionId),
    );
    expect(seen.collaboratorId).toBe(doctorA.id);
    await refusedWith(as('doctor-b', 'emergency', 'show', session.sessionId), 'NOT_FOUND');
    await refusedWith(as('doctor-a', 'emergency', 'list'), 'FORBIDDEN');
  });

  it('refuses an opening by anyone but an attendant', async () => {
    await refusedWith(
      as(
        'doctor-a',
        'emergency',
        'open',
        '--patient',
        ana.id,
        '--collaborator',
        doctorB.id,
        '--reason',
        'BTG',
      ),
      'FORBIDDEN',
    );
  });

  it('reassigns the session on chain, and the new collaborator closes it', async () => {
    const moved = await json<EmergencySession>(
      as('attendant', 'emergency', 'reassign', session.sessionId, '--collaborator', doctorB.id),
    );
    expect(moved.collaboratorId).toBe(doctorB.id);
    await waitFor(
      'SessionReassigned on chain',
      async () =>
        (
          await log.queryFilter(
            log.filters.SessionReassigned!(null, uuidToBytes32(session.sessionId)),
          )
        ).length === 1
          ? true
          : undefined,
      30_000,
      () => stack.diagnostics(),
    );
    await refusedWith(as('doctor-a', 'emergency', 'close', session.sessionId), 'NOT_FOUND');
    const closed = await json<EmergencySession>(
      as('doctor-b', 'emergency', 'close', session.sessionId),
    );
    expect(closed.status).toBe('closed');
    expect(closed.closeReason).toBe('completed');
    await waitFor(
      'SessionClosed on chain',
      async () =>
        (await log.queryFilter(log.filters.SessionClosed!(null, uuidToBytes32(session.sessionId))))
          .length === 1
          ? true
          : undefined,
      30_000,
      () => stack.diagnostics(),
    );
  });

  it('with the chain unreachable, no session opens (503, clear message) and none is stored', async () => {
    await stack.chain.pause();
    let result: CliResult;
    try {
      result = await as(
        'attendant',
        'emergency',
        'open',
        '--patient',
        ana.id,
        '--collaborator',
        doctorA.id,
        '--reason',
        'BTG',
      );
    } finally {
      await stack.chain.resume();
    }
    expect(result.code).toBe(1);
    const error = (JSON.parse(result.stderr) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(error.message).toMatch(/ledger|chain/i);
    const open = await json<EmergencySession[]>(as('attendant', 'emergency', 'list'));
    expect(open).toEqual([]);
  });
});
