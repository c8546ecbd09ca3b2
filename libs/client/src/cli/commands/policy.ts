import {
  Confidentiality,
  RECORD_CATEGORIES,
  type Confidentiality as Level,
  type RecordCategory,
} from '@sec-health/protocol';
import type { Command } from 'commander';

import { GrantFlows } from '../../sdk/records/grant-flows.js';
import { parseContact, type Contact } from '../contact-option.js';
import type { CliContext } from '../context.js';
import {
  integerFrom,
  listOf,
  oneOf,
  repeatable,
  sensitivityCode,
  uuid,
} from '../option-parsers.js';
import { policyRow } from './policy-view.js';

interface SetOptions {
  off?: boolean;
  confidentiality?: Level[];
  categories?: RecordCategory[];
  optIn?: string[];
  maxMinutes: number;
  contact?: Contact[];
  webhookContact?: Contact[];
}

const DEFAULT_MAX_MINUTES = 60;

export function policyCommand(program: Command, context: () => CliContext): void {
  const policy = program
    .command('policy')
    .description('The emergency (break-glass) policy, signed by the patient');

  policy
    .command('set')
    .description(
      'Sign and store your emergency policy (patients): exactly what the options say, the rest at its default',
    )
    .option('--off', 'no break-glass access at all')
    .option(
      '--confidentiality <levels>',
      'levels break-glass may release (default N)',
      listOf(oneOf(Confidentiality.options)),
    )
    .option(
      '--categories <list>',
      'categories break-glass may release (default: all)',
      listOf(oneOf(RECORD_CATEGORIES)),
    )
    .option(
      '--opt-in <codes>',
      'sensitive codes break-glass may release too, e.g. HIV,PSY (default: none)',
      listOf(sensitivityCode),
    )
    .option(
      '--max-minutes <n>',
      'longest break-glass session, 5 to 1440',
      integerFrom(5, 24 * 60),
      DEFAULT_MAX_MINUTES,
    )
    .option(
      '--contact <contact>',
      'e-mail this person when break-glass is used: "Name <email@example.org>" (repeatable)',
      repeatable((value) => parseContact(value, 'email')),
    )
    .option(
      '--webhook-contact <contact>',
      'call this URL when break-glass is used: "Name <https://...>" (repeatable)',
      repeatable((value) => parseContact(value, 'webhook')),
    )
    .action(async (options: SetOptions) => {
      const ctx = context();
      const view = await ctx.withRecordFlows((records) =>
        ctx.progress('Signing the policy', () =>
          new GrantFlows(records).setPolicy({
            breakGlass: options.off !== true,
            confidentiality: options.confidentiality ?? ['N'],
            ...(options.categories ? { categories: options.categories } : {}),
            sensitivityOptIn: options.optIn ?? [],
            maxSessionMinutes: options.maxMinutes,
            contacts: [...(options.contact ?? []), ...(options.webhookContact ?? [])],
          }),
        ),
      );
      ctx.printRecord(view, policyRow(view));
    });

  policy
    .command('show')
    .description('Show an emergency policy (your own by default)')
    .option('--patient <id>', "this patient's (emergency servers and the authority)", uuid)
    .action(async (options: { patient?: string }) => {
      const ctx = context();
      const profile = await ctx.loadProfile();
      const client = await ctx.authenticatedClient(profile);
      const patientId = options.patient ?? ctx.registeredId(profile);
      const view = await ctx.progress('Fetching', () => client.call('policy.get', { patientId }));
      ctx.printRecord(view, policyRow(view));
    });
}
