import type { Command } from 'commander';

import { zeroizeKeys } from '../../sdk/keys.js';
import type { CliContext } from '../context.js';

export function loginCommand(program: Command, context: () => CliContext): void {
  program
    .command('login')
    .description('Sign a login challenge with the profile keys and keep the session token')
    .action(async () => {
      const ctx = context();
      const profile = await ctx.loadProfile();
      const participantId = ctx.registeredId(profile);
      const keys = await ctx.unlockKeys(profile);
      try {
        const session = await ctx.progress('Logging in', () =>
          ctx.client(profile).login(participantId, keys),
        );
        await ctx.store.save({
          ...profile,
          session: { token: session.token, expiresAt: session.expiresAt },
        });
        const { participantId: id, role, expiresAt } = session;
        ctx.printRecord({ participantId: id, role, expiresAt }, [
          ['participant', id],
          ['role', role],
          ['expires', expiresAt],
        ]);
      } finally {
        zeroizeKeys(keys);
      }
    });
}
