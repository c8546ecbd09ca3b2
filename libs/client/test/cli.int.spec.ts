import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { runCli, type CliIo } from '../src/cli/run-cli.js';
import { FakeGateway } from './fake-gateway.js';

const gateway = new FakeGateway();
let home: string;

beforeAll(async () => {
  await gateway.start();
});
afterAll(async () => {
  await gateway.stop();
});
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'sechealth-cli-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function sechealth(
  argv: string[],
  env: Record<string, string | undefined> = {},
  io: Partial<CliIo> = {},
): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: {
      SECHEALTH_HOME: home,
      SECHEALTH_API: gateway.url,
      SECHEALTH_SCRYPT_N: '1024',
      SECHEALTH_PASSPHRASE: 'correct horse battery',
      ...env,
    },
    interactive: false,
    ...io,
  });
  return { code, stdout, stderr };
}

async function profileJson(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(home, 'profiles', `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** init, register, approve (at the stand-in) and login a profile; returns its participant id. */
async function loggedIn(name: string): Promise<string> {
  expect(
    (await sechealth(['--profile', name, 'init', '--role', 'patient', '--name', name])).code,
  ).toBe(0);
  expect((await sechealth(['--profile', name, 'register'])).code).toBe(0);
  const id = (await profileJson(name)).participantId as string;
  gateway.activate(id);
  expect((await sechealth(['--profile', name, 'login'])).code).toBe(0);
  return id;
}

describe('sechealth', () => {
  it('init, register, login and whoami, with human output', async () => {
    const init = await sechealth([
      '--profile',
      'dr',
      'init',
      '--role',
      'collaborator',
      '--kind',
      'physician',
      '--name',
      'Dr. Grey',
      '--email',
      'grey@example.org',
    ]);
    expect(init).toMatchObject({ code: 0 });
    expect(init.stdout).toMatch(/^profile: +dr$/m);
    expect(init.stderr).toContain('next: sechealth register --profile dr');
    const path = join(home, 'profiles', 'dr.json');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const created = await profileJson('dr');
    expect(created).toMatchObject({
      version: 1,
      name: 'dr',
      role: 'collaborator',
      participantId: null,
    });
    expect(created.apiUrl).toBe(gateway.url);

    const register = await sechealth(['--profile', 'dr', 'register']);
    expect(register.code).toBe(0);
    expect(register.stdout).toMatch(/^status: +pending$/m);
    expect(register.stdout).toMatch(/^kind: +physician$/m);
    const id = (await profileJson('dr')).participantId as string;
    expect(gateway.participants.get(id)?.profile).toEqual({
      displayName: 'Dr. Grey',
      email: 'grey@example.org',
    });

    const again = await sechealth(['--profile', 'dr', 'register']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`already registered as ${id}`);

    const login = await sechealth(['--profile', 'dr', 'login']);
    expect(login.code).toBe(0);
    expect(login.stdout).toMatch(new RegExp(`^participant: +${id}$`, 'm'));
    const { session } = (await profileJson('dr')) as { session?: { token: unknown } };
    expect(typeof session?.token).toBe('string');

    const whoami = await sechealth(['--profile', 'dr', 'whoami']);
    expect(whoami).toMatchObject({ code: 0, stderr: '' });
    expect(whoami.stdout).toMatch(new RegExp(`^participant: +${id}$`, 'm'));
    expect(whoami.stdout).toMatch(/^role: +collaborator$/m);
  });

  it('--json prints only JSON on stdout, and errors as JSON on stderr', async () => {
    const init = await sechealth(['--json', 'init', '--role', 'patient', '--name', 'Pat']);
    expect(init.stderr).toBe('');
    expect(JSON.parse(init.stdout)).toMatchObject({ profile: 'default', role: 'patient' });
    const register = await sechealth(['--json', 'register']);
    const participant = JSON.parse(register.stdout) as { id: string; status: string };
    expect(participant.status).toBe('pending');
    expect(register.stderr).toBe('');
    expect(JSON.parse((await sechealth(['--json', 'login'])).stdout)).toMatchObject({
      participantId: participant.id,
      role: 'patient',
    });
    expect(JSON.parse((await sechealth(['--json', 'whoami'])).stdout)).toEqual({
      participantId: participant.id,
      role: 'patient',
      organizationId: null,
    });
    const forbidden = await sechealth(['--json', 'org', 'create', '--name', 'Mercy']);
    expect(forbidden).toMatchObject({ code: 1, stdout: '' });
    expect(JSON.parse(forbidden.stderr)).toEqual({
      error: {
        code: 'FORBIDDEN',
        message: expect.stringContaining('organizations.create needs role authority') as string,
      },
    });
  });

  it('approves and revokes with the profile keys, unlocked with the passphrase', async () => {
    await loggedIn('adm');
    const target = await loggedIn('target');
    gateway.participants.set(target, { ...gateway.participants.get(target)!, status: 'pending' });
    const locked = await sechealth(['--profile', 'adm', 'participants', 'approve', target], {
      SECHEALTH_PASSPHRASE: undefined,
    });
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('SECHEALTH_PASSPHRASE');
    const wrong = await sechealth(['--profile', 'adm', 'participants', 'approve', target], {
      SECHEALTH_PASSPHRASE: 'wrong passphrase',
    });
    expect(wrong.code).toBe(1);
    expect(gateway.participants.get(target)?.status).toBe('pending');

    const approved = await sechealth(['--profile', 'adm', 'participants', 'approve', target]);
    expect(approved).toMatchObject({ code: 0 });
    expect(approved.stdout).toMatch(/^status: +active$/m);
    const revoked = await sechealth([
      '--profile',
      'adm',
      'participants',
      'revoke',
      target,
      '--reason',
      'left',
    ]);
    expect(revoked).toMatchObject({ code: 0 });
    expect(revoked.stdout).toMatch(/^status: +revoked$/m);
  });

  it('shows and searches participants', async () => {
    const id = await loggedIn('pat');
    const show = await sechealth(['--profile', 'pat', 'participants', 'show', id]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^name: +pat$/m);
    expect(show.stdout).toMatch(/^status: +active$/m);
    const search = await sechealth([
      '--profile',
      'pat',
      'participants',
      'search',
      '--role',
      'patient',
      '--limit',
      '10',
    ]);
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/^ID +ROLE +KIND +ORGANIZATION +STATUS +NAME$/m);
    expect(search.stdout).toContain(id);
    expect(gateway.requests.at(-1)?.url).toBe('/v1/participants?role=patient&limit=10');
  });

  it('refuses to overwrite a profile unless --force', async () => {
    const args = ['init', '--role', 'patient', '--name', 'Pat'];
    expect((await sechealth(args)).code).toBe(0);
    const before = await profileJson('default');
    const again = await sechealth(args);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: profile "default" already exists .*--force/);
    expect(await profileJson('default')).toEqual(before);
    expect((await sechealth([...args, '--force'])).code).toBe(0);
    expect(await profileJson('default')).not.toEqual(before);
  });

  it('says to log in when there is no session', async () => {
    await sechealth(['--profile', 'nosession', 'init', '--role', 'patient', '--name', 'N']);
    const result = await sechealth(['--profile', 'nosession', 'whoami']);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: not logged in: run `sechealth login --profile nosession`\n',
    });
    const login = await sechealth(['--profile', 'nosession', 'login']);
    expect(login.stderr).toContain(
      'not registered yet: run `sechealth register --profile nosession`',
    );
  });

  it('says to log in again when the session expired or the gateway refuses the token', async () => {
    await loggedIn('stale');
    const path = join(home, 'profiles', 'stale.json');
    const good = await profileJson('stale');
    const expiresAt = '2020-01-01T00:00:00.000Z';
    await writeFile(path, JSON.stringify({ ...good, session: { token: 'x', expiresAt } }));
    const expired = await sechealth(['--profile', 'stale', 'whoami']);
    expect(expired).toMatchObject({ code: 1, stdout: '' });
    expect(expired.stderr).toBe(
      `error: the session of profile "stale" expired at ${expiresAt}: run \`sechealth login --profile stale\`\n`,
    );
    const later = new Date(Date.now() + 60_000).toISOString();
    await writeFile(
      path,
      JSON.stringify({ ...good, session: { token: 'forged', expiresAt: later } }),
    );
    const refused = await sechealth(['--profile', 'stale', 'whoami']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'error: not logged in (missing or invalid token): run `sechealth login --profile stale`\n',
    );
  });

  it('says how to start the gateway when it does not answer', async () => {
    await sechealth(['init', '--role', 'patient', '--name', 'Pat']);
    const dead = 'http://127.0.0.1:9';
    const result = await sechealth(['--api', dead, 'register']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: the gateway at ${dead} does not answer: start it with \`npm start\` (or set --api / SECHEALTH_API)\n`,
    );
  });

  it('reports a wrong passphrase in one line', async () => {
    await sechealth(['init', '--role', 'patient', '--name', 'Pat']);
    const result = await sechealth(['register'], { SECHEALTH_PASSPHRASE: 'not the passphrase' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: wrong passphrase for profile "default": try again.*\n$/);
  });

  it('asks to set SECHEALTH_PASSPHRASE when there is no terminal', async () => {
    const result = await sechealth(['init', '--role', 'patient', '--name', 'Pat'], {
      SECHEALTH_PASSPHRASE: undefined,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('set SECHEALTH_PASSPHRASE');
  });

  it('prompts twice for a new passphrase at a terminal', async () => {
    const answers = ['first passphrase', 'second passphrase'];
    const result = await sechealth(
      ['init', '--role', 'patient', '--name', 'Pat'],
      { SECHEALTH_PASSPHRASE: undefined },
      { interactive: true, promptSecret: async () => answers.shift()! },
    );
    expect(result).toMatchObject({ code: 2 });
    expect(result.stderr).toContain('the two passphrases differ');
    const ok = await sechealth(
      ['init', '--role', 'patient', '--name', 'Pat'],
      { SECHEALTH_PASSPHRASE: undefined },
      { interactive: true, promptSecret: async () => 'same passphrase' },
    );
    expect(ok.code).toBe(0);
  });

  it('exits 2 on usage errors', async () => {
    const badRole = await sechealth(['init', '--role', 'wizard', '--name', 'W']);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain("argument 'wizard' is invalid");
    const noKind = await sechealth(['init', '--role', 'collaborator', '--name', 'C']);
    expect(noKind).toMatchObject({
      code: 2,
      stderr: 'error: a collaborator needs --kind physician|nurse|lab\n',
    });
    expect((await sechealth(['frobnicate'])).code).toBe(2);
    expect((await sechealth(['participants', 'search', '--limit', '0'])).code).toBe(2);
    const help = await sechealth(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: sechealth');
  });

  it('reads a profile in the shared format written by another tool', async () => {
    await loggedIn('writer');
    const written = await profileJson('writer');
    // What the authority's setup command writes: no registration details, already registered.
    const { registration: _omitted, ...shared } = written;
    await writeFile(
      join(home, 'profiles', 'authority-admin.json'),
      JSON.stringify({ ...shared, name: 'authority-admin' }),
      { mode: 0o600 },
    );
    const whoami = await sechealth(['--profile', 'authority-admin', 'whoami']);
    expect(whoami.code).toBe(0);
    const login = await sechealth(['--profile', 'authority-admin', 'login']);
    expect(login.code).toBe(0);
  });
});
