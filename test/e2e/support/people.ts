import type { Organization, Participant } from '@sec-health/protocol';

import { json, type CliResult } from '../cli.js';

type Cli = (...argv: string[]) => Promise<CliResult>;

export async function ok(result: Promise<CliResult>): Promise<CliResult> {
  const done = await result;
  if (done.code !== 0) throw new Error(`sechealth exited ${done.code}: ${done.stderr}`);
  return done;
}

/** An organization with its admin, logged in (through the authority admin). */
export async function organization(cli: Cli, name: string): Promise<Organization> {
  await ok(cli('--profile', 'authority-admin', 'login'));
  const org = await json<Organization>(
    cli('--profile', 'authority-admin', '--json', 'org', 'create', '--name', name),
  );
  const profile = `${name.toLowerCase().replace(/\W+/g, '-')}-admin`;
  await ok(
    cli(
      '--profile',
      profile,
      'init',
      '--role',
      'org-admin',
      '--org',
      org.id,
      '--name',
      `${name} admin`,
    ),
  );
  const admin = await json<Participant>(cli('--profile', profile, '--json', 'register'));
  await ok(cli('--profile', 'authority-admin', 'participants', 'approve', admin.id));
  await ok(cli('--profile', profile, 'login'));
  return org;
}

/** A collaborator of `org` enrolled by its admin, logged in. */
export async function collaborator(
  cli: Cli,
  org: Organization,
  profile: string,
  kind: 'physician' | 'nurse' | 'lab',
  name: string,
): Promise<Participant> {
  const admin = `${org.name.toLowerCase().replace(/\W+/g, '-')}-admin`;
  await ok(
    cli(
      '--profile',
      profile,
      'init',
      '--role',
      'collaborator',
      '--kind',
      kind,
      '--org',
      org.id,
      '--name',
      name,
    ),
  );
  const who = await json<Participant>(cli('--profile', profile, '--json', 'register'));
  await ok(cli('--profile', admin, 'participants', 'approve', who.id));
  await ok(cli('--profile', profile, 'login'));
  return who;
}

/** A patient approved by the authority, logged in. */
export async function patient(cli: Cli, profile: string, name: string): Promise<Participant> {
  await ok(cli('--profile', profile, 'init', '--role', 'patient', '--name', name));
  const who = await json<Participant>(cli('--profile', profile, '--json', 'register'));
  await ok(cli('--profile', 'authority-admin', 'participants', 'approve', who.id));
  await ok(cli('--profile', profile, 'login'));
  return who;
}
