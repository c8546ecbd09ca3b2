import type { Command } from 'commander';

import type { CliContext } from '../context.js';

export function whoamiCommand(program: Command, context: () => CliContext): void {
  program
    .command('whoami')
    .description('Show who the session token belongs to')
    .action(async () => {
      const ctx = context();
      const client = await ctx.authenticatedClient();
      const me = await ctx.progress('Asking the gateway', () => client.whoami());
      ctx.printRecord(me, [
        ['participant', me.participantId],
        ['role', me.role],
        ['organization', me.organizationId],
        ['profile', ctx.profileName],
        ['gateway', client.apiUrl],
      ]);
    });
}
