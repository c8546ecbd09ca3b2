import { ParticipantStatus, Role } from '@sec-health/protocol';
import { InvalidArgumentError, Option, type Command } from 'commander';

import type { CliContext } from '../context.js';
import { PARTICIPANT_COLUMNS, participantCells, participantRow } from './participant-view.js';

interface SearchOptions {
  role?: Role;
  org?: string;
  status?: ParticipantStatus;
  limit?: number;
  after?: string;
}

export function participantsCommand(program: Command, context: () => CliContext): void {
  const participants = program
    .command('participants')
    .description('Approve, revoke, show and search participants');

  participants
    .command('approve <id>')
    .description('Approve and attest a pending participant (org admin or authority)')
    .action(async (id: string) => {
      const ctx = context();
      const client = await ctx.authenticatedClient();
      const p = await ctx.withActionSigner((signer) =>
        ctx.progress('Approving', () => client.approveParticipant(id, signer)),
      );
      ctx.printRecord(p, participantRow(p));
    });

  participants
    .command('revoke <id>')
    .description('Revoke a participant; effective for every later check')
    .requiredOption('--reason <text>', 'why (kept with the revocation)')
    .action(async (id: string, options: { reason: string }) => {
      const ctx = context();
      const client = await ctx.authenticatedClient();
      const p = await ctx.withActionSigner((signer) =>
        ctx.progress('Revoking', () => client.revokeParticipant(id, options.reason, signer)),
      );
      ctx.printRecord(p, participantRow(p));
    });

  participants
    .command('show <id>')
    .description('Show a participant')
    .action(async (id: string) => {
      const ctx = context();
      const client = await ctx.authenticatedClient();
      const p = await ctx.progress('Fetching', () => client.getParticipant(id));
      ctx.printRecord(p, participantRow(p));
    });

  participants
    .command('search')
    .description('Search participants by role, organization and status')
    .addOption(new Option('--role <role>').choices(Role.options))
    .option('--org <id>', 'organization id')
    .addOption(new Option('--status <status>').choices(ParticipantStatus.options))
    .option('--limit <n>', 'at most this many (1-100)', parseLimit)
    .option('--after <id>', 'continue after this participant id (the "next" of a previous page)')
    .action(async (options: SearchOptions) => {
      const ctx = context();
      const client = await ctx.authenticatedClient();
      const list = await ctx.progress('Searching', () =>
        client.searchParticipants({
          role: options.role,
          organizationId: options.org,
          status: options.status,
          limit: options.limit,
          after: options.after,
        }),
      );
      ctx.printTable(list, PARTICIPANT_COLUMNS, list.items.map(participantCells));
      if (list.next) ctx.note(`more: add --after ${list.next}`);
    });
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    throw new InvalidArgumentError('must be an integer from 1 to 100');
  }
  return n;
}
