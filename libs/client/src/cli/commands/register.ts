import type { Command } from 'commander';

import { ClientError, ClientErrorCode } from '../../errors.js';
import type { Registration } from '../../sdk/client.js';
import { zeroizeKeys } from '../../sdk/keys.js';
import type { CliContext } from '../context.js';
import { participantRow } from './participant-view.js';

export function registerCommand(program: Command, context: () => CliContext): void {
  program
    .command('register')
    .description("Register the profile's public keys; an admin then approves them")
    .action(async () => {
      const ctx = context();
      const profile = await ctx.loadProfile();
      if (profile.participantId !== null) {
        throw new ClientError(
          ClientErrorCode.ProfileExists,
          `profile "${profile.name}" is already registered as ${profile.participantId}: run \`sechealth login --profile ${profile.name}\``,
        );
      }
      if (!profile.registration) {
        throw new ClientError(
          ClientErrorCode.ProfileCorrupt,
          `profile "${profile.name}" has no registration details: create it with \`sechealth init --profile ${profile.name} --force\``,
        );
      }
      const registration = {
        role: profile.role,
        ...profile.registration,
      } as Registration;
      const keys = await ctx.unlockKeys(profile);
      try {
        const participant = await ctx.progress('Registering', () =>
          ctx.client(profile).register(registration, keys),
        );
        await ctx.store.save({ ...profile, participantId: participant.id });
        ctx.printRecord(participant, participantRow(participant));
        ctx.note(
          participant.status === 'pending'
            ? `next: an org admin or the authority approves it (sechealth participants approve ${participant.id}), then sechealth login --profile ${profile.name}`
            : `next: sechealth login --profile ${profile.name}`,
        );
      } finally {
        zeroizeKeys(keys);
      }
    });
}
