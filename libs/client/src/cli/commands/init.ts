import { createKeystore, generateParticipantKeys } from '@sec-health/crypto';
import {
  CollaboratorKind,
  Profile,
  Role,
  parseOrThrow,
  Uuid,
  type CollaboratorKind as Kind,
} from '@sec-health/protocol';
import { Option, type Command } from 'commander';

import type { ProfileFile, ProfileRegistration } from '../../profile/profile.js';
import { keystoreScrypt } from '../../profile/scrypt-cost.js';
import { zeroizeKeys } from '../../sdk/keys.js';
import type { CliContext } from '../context.js';
import { readPassphrase } from '../passphrase.js';
import { UsageError } from '../usage-error.js';

interface InitOptions {
  role: string;
  kind?: string;
  org?: string;
  name: string;
  email?: string;
  force?: boolean;
}

export function initCommand(program: Command, context: () => CliContext): void {
  program
    .command('init')
    .description('Generate keys, encrypt them under a passphrase and write the profile')
    .addOption(
      new Option('--role <role>', 'participant role').choices(Role.options).makeOptionMandatory(),
    )
    .addOption(new Option('--kind <kind>', 'collaborator kind').choices(CollaboratorKind.options))
    .option('--org <id>', 'organization id')
    .requiredOption('--name <displayName>', 'display name')
    .option('--email <email>', 'contact email')
    .option('--force', 'replace an existing profile (its keys are lost)')
    .action(async (options: InitOptions) => {
      const ctx = context();
      const registration = registrationFrom(options);
      const passphrase = await readPassphrase(ctx.io, ctx.profileName, { isNew: true });
      const keys = generateParticipantKeys();
      try {
        const keystore = await ctx.progress('Encrypting the new keys', () =>
          createKeystore(keys, passphrase, { scrypt: keystoreScrypt(ctx.io.env) }),
        );
        const profile: ProfileFile = {
          version: 1,
          name: ctx.profileName,
          apiUrl: ctx.apiUrl(),
          participantId: null,
          role: options.role,
          keystore,
          registration,
        };
        const path = await ctx.store.create(profile, { force: options.force === true });
        ctx.printRecord(
          { profile: profile.name, path, role: profile.role, publicKeys: keystore.publicKeys },
          [
            ['profile', profile.name],
            ['path', path],
            ['role', profile.role],
            ['signing key', keystore.publicKeys.signing],
            ['encryption key', keystore.publicKeys.encryption],
          ],
        );
        ctx.note(`next: sechealth register --profile ${profile.name}`);
      } finally {
        zeroizeKeys(keys);
      }
    });
}

function registrationFrom(options: InitOptions): ProfileRegistration {
  if (options.role === 'collaborator' && !options.kind) {
    throw new UsageError('a collaborator needs --kind physician|nurse|lab');
  }
  if (options.role !== 'collaborator' && options.kind) {
    throw new UsageError('--kind applies to --role collaborator only');
  }
  if (options.org !== undefined && !Uuid.safeParse(options.org).success) {
    throw new UsageError(`--org must be an organization id (a UUID), got "${options.org}"`);
  }
  const profile = parseOrThrow(
    Profile,
    { displayName: options.name, ...(options.email ? { email: options.email } : {}) },
    'profile (--name, --email)',
  );
  return {
    ...(options.kind ? { kind: options.kind as Kind } : {}),
    ...(options.org ? { organizationId: options.org } : {}),
    profile,
  };
}
