import type { Command } from 'commander';

import type { CliContext } from '../context.js';

export function orgCommand(program: Command, context: () => CliContext): void {
  const org = program.command('org').description('Organizations (the authority)');
  org
    .command('create')
    .description('Register an organization')
    .requiredOption('--name <name>', 'organization name')
    .action(async (options: { name: string }) => {
      const ctx = context();
      const client = await ctx.authenticatedClient();
      const created = await ctx.withActionSigner((signer) =>
        ctx.progress('Creating the organization', () =>
          client.createOrganization(options.name, signer),
        ),
      );
      ctx.printRecord(created, [
        ['id', created.id],
        ['name', created.name],
        ['created', created.createdAt],
      ]);
    });
}
