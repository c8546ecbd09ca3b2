import { ReasonCode, SessionStatus, text, type EmergencySession } from '@sec-health/protocol';
import type { Command } from 'commander';

import { SessionFlows } from '../../sdk/sessions/session-flows.js';
import { zeroizeKeys } from '../../sdk/keys.js';
import type { CliContext } from '../context.js';
import { oneOf, uuid } from '../option-parsers.js';
import { UsageError } from '../usage-error.js';

const SESSION_COLUMNS = ['session', 'status', 'patient', 'collaborator', 'reason', 'expires'];

function sessionCells(s: EmergencySession): string[] {
  return [s.sessionId, s.status, s.patientId, s.collaboratorId, s.reasonCode, s.expiresAt];
}

function sessionRow(s: EmergencySession): [string, string][] {
  return [
    ['session', s.sessionId],
    ['status', s.status],
    ['patient', s.patientId],
    ['collaborator', s.collaboratorId],
    ['attendant', s.attendantId],
    ['organization', s.organizationId],
    ['reason', s.reasonCode],
    ['opened', s.openedAt],
    ['expires', s.expiresAt],
    ...(s.closedAt ? ([['closed', `${s.closedAt} (${s.closeReason})`]] as [string, string][]) : []),
    ['SessionOpened', s.anchor.txHash ?? s.anchor.status],
  ];
}

function humanText(name: string, max: number) {
  return (value: string): string => {
    const parsed = text(max).safeParse(value);
    if (!parsed.success) throw new UsageError(`${name}: ${parsed.error.issues[0]!.message}`);
    return parsed.data;
  };
}

/** Runs `work` with the profile's keys unlocked for signing, then zeroizes them. */
async function withSessions<T>(
  ctx: CliContext,
  work: (sessions: SessionFlows) => Promise<T>,
): Promise<T> {
  const profile = await ctx.loadProfile();
  ctx.registeredId(profile);
  const client = await ctx.authenticatedClient(profile);
  const keys = await ctx.unlockKeys(profile);
  try {
    return await work(new SessionFlows(client, keys));
  } finally {
    zeroizeKeys(keys);
  }
}

export function emergencyCommand(program: Command, context: () => CliContext): void {
  const emergency = program
    .command('emergency')
    .description('Break-glass sessions: attendants open, follow and close them');

  emergency
    .command('open')
    .description(
      'Open a session for an unconscious patient (signed by you; it exists only once SessionOpened is on chain)',
    )
    .requiredOption('--patient <id>', 'the patient (from the emergency card)', uuid)
    .requiredOption('--collaborator <id>', 'the responding collaborator', uuid)
    .requiredOption('--reason <code>', 'ETREAT or BTG', oneOf(ReasonCode.options))
    .option('--notes <text>', 'what the call is about', humanText('--notes', 2000))
    .option('--location <text>', 'where the patient is', humanText('--location', 200))
    .action(
      async (options: {
        patient: string;
        collaborator: string;
        reason: ReasonCode;
        notes?: string;
        location?: string;
      }) => {
        const ctx = context();
        const session = await withSessions(ctx, (sessions) =>
          ctx.progress('Opening the session (waiting for the chain)', () =>
            sessions.open({
              patientId: options.patient,
              collaboratorId: options.collaborator,
              reasonCode: options.reason,
              ...(options.notes === undefined ? {} : { notes: options.notes }),
              ...(options.location === undefined ? {} : { location: options.location }),
            }),
          ),
        );
        ctx.printRecord(session, sessionRow(session));
      },
    );

  emergency
    .command('show')
    .description('One session')
    .argument('<sessionId>', 'session id', uuid)
    .action(async (sessionId: string) => {
      const ctx = context();
      const client = await ctx.authenticatedClient();
      const session = await client.call('sessions.get', { sessionId });
      ctx.printRecord(session, sessionRow(session));
    });

  emergency
    .command('list')
    .description("Your organization's sessions (open ones by default)")
    .option('--status <status>', 'open, closed or expired', oneOf(SessionStatus.options))
    .action(async (options: { status?: SessionStatus }) => {
      const ctx = context();
      const client = await ctx.authenticatedClient();
      const items: EmergencySession[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await client.call('sessions.list', {
          status: options.status ?? 'open',
          ...(after ? { after } : {}),
        });
        items.push(...page.items);
        if (page.next === null) break;
        after = page.next;
      }
      ctx.printTable(items, SESSION_COLUMNS, items.map(sessionCells));
    });

  emergency
    .command('reassign')
    .description('Hand an open session to another collaborator (logged on chain)')
    .argument('<sessionId>', 'session id', uuid)
    .requiredOption('--collaborator <id>', 'the new collaborator', uuid)
    .action(async (sessionId: string, options: { collaborator: string }) => {
      const ctx = context();
      const session = await withSessions(ctx, (sessions) =>
        sessions.reassign(sessionId, options.collaborator),
      );
      ctx.printRecord(session, sessionRow(session));
    });

  emergency
    .command('close')
    .description('Close an open session (an attendant of its organization, or its collaborator)')
    .argument('<sessionId>', 'session id', uuid)
    .option('--cancel', 'close it as cancelled rather than completed')
    .action(async (sessionId: string, options: { cancel?: boolean }) => {
      const ctx = context();
      const session = await withSessions(ctx, (sessions) =>
        sessions.close(sessionId, options.cancel ? 'cancelled' : 'completed'),
      );
      ctx.printRecord(session, sessionRow(session));
    });
}
