import {
  GrantStatus,
  type Grant,
  PurposeOfUse,
  RECORD_CATEGORIES,
  type RecordCategory,
} from '@sec-health/protocol';
import { Option, type Command } from 'commander';

import { GrantFlows } from '../../sdk/records/grant-flows.js';
import { allPages } from '../all-pages.js';
import type { CliContext } from '../context.js';
import { formatJson } from '../output.js';
import { listOf, oneOf, uuid } from '../option-parsers.js';
import { countProgressText } from '../progress-text.js';
import { parseExpiry } from '../time-options.js';
import { UsageError } from '../usage-error.js';
import { GRANT_COLUMNS, grantCells, grantRow } from './grant-view.js';

interface CreateOptions {
  grantee: string;
  records?: string[];
  categories?: RecordCategory[];
  write?: boolean;
  purpose: PurposeOfUse;
  expires: Date;
}

interface ListOptions {
  as?: 'patient' | 'grantee';
  status?: Grant['status'];
}

const PAGE = 200;

export function grantsCommand(program: Command, context: () => CliContext): void {
  const grants = program
    .command('grants')
    .description("Share a patient's records: grants signed by the patient, keys wrapped here");

  grants
    .command('create')
    .description(
      'Grant a participant access to your records (patients); read grants wrap the keys in scope to them here',
    )
    .requiredOption('--grantee <id>', 'who receives access', uuid)
    .option('--records <ids>', 'these record ids', listOf(uuid))
    .option(
      '--categories <list>',
      'every record of these categories, now and later',
      listOf(oneOf(RECORD_CATEGORIES)),
    )
    .option('--write', 'let the grantee add records in scope, instead of reading them')
    .addOption(
      new Option('--purpose <purpose>', 'purpose of use')
        .choices(PurposeOfUse.options)
        .default('treatment'),
    )
    .requiredOption(
      '--expires <when>',
      'an ISO time (2027-03-01T09:30:00Z), a date, or a duration from now (90d, 12h, 30m)',
      (value) => parseExpiry(value),
    )
    .action(async (options: CreateOptions) => {
      const ctx = context();
      if (!options.records?.length && !options.categories?.length) {
        throw new UsageError('name what to share: --records <ids>, --categories <list>, or both');
      }
      const grant = await ctx.withRecordFlows((records) =>
        ctx.progress('Preparing the grant', (setText) =>
          new GrantFlows(records).create(
            {
              granteeId: options.grantee,
              recordIds: options.records ?? [],
              categories: options.categories ?? [],
              permission: options.write ? 'write' : 'read',
              purposeOfUse: options.purpose,
              expiresAt: options.expires,
            },
            (done, total) =>
              setText(countProgressText('Wrapping keys for', done, total, 'records')),
          ),
        ),
      );
      ctx.printRecord(grant, grantRow(grant));
    });

  grants
    .command('list')
    .description('Your grants: those you gave (patients, by default) or those given to you')
    .addOption(
      new Option('--as <side>', 'patient: grants you gave; grantee: grants to you').choices([
        'patient',
        'grantee',
      ]),
    )
    .addOption(new Option('--status <status>').choices(GrantStatus.options))
    .action(async (options: ListOptions) => {
      const ctx = context();
      const profile = await ctx.loadProfile();
      const client = await ctx.authenticatedClient(profile);
      const as = options.as ?? (profile.role === 'patient' ? 'patient' : 'grantee');
      const items = await ctx.progress('Listing grants', () =>
        allPages((after) =>
          client.call('grants.list', { as, status: options.status, limit: PAGE, after }),
        ),
      );
      ctx.printTable({ items }, GRANT_COLUMNS, items.map(grantCells));
    });

  grants
    .command('show')
    .description('Show a grant (its patient or its grantee)')
    .argument('<consentId>', 'consent id', uuid)
    .option('--fhir', 'print it as a FHIR R4 Consent resource (JSON)')
    .action(async (consentId: string, options: { fhir?: boolean }) => {
      const ctx = context();
      const client = await ctx.authenticatedClient();
      if (options.fhir) {
        const consent = await ctx.progress('Fetching', () =>
          client.call('grants.fhir', { consentId }),
        );
        ctx.io.stdout(formatJson(consent));
        return;
      }
      const grant = await ctx.progress('Fetching', () => client.call('grants.get', { consentId }));
      ctx.printRecord(grant, grantRow(grant));
    });

  grants
    .command('revoke')
    .description(
      'Revoke a grant you gave: its keys go at once, and every record it covered is re-encrypted under a fresh key',
    )
    .argument('<consentId>', 'consent id', uuid)
    .option(
      '--no-rotate',
      'do not re-encrypt the records it covered (faster, but keys the grantee already holds keep opening them)',
    )
    .action(async (consentId: string, options: { rotate: boolean }) => {
      const ctx = context();
      const { grant, rotated } = await ctx.withRecordFlows((records) =>
        ctx.progress('Revoking', (setText) =>
          new GrantFlows(records).revoke(consentId, { rotate: options.rotate }, (done, total) =>
            setText(countProgressText('Rotating', done, total, 'records')),
          ),
        ),
      );
      ctx.printRecord({ grant, rotated: rotated.length, versions: rotated }, [
        ...grantRow(grant),
        ['records rotated', rotated.length],
      ]);
      if (!options.rotate && grant.consent.permission === 'read') {
        ctx.note(
          'records not rotated: keys the grantee unwrapped before still open their current versions',
        );
      }
    });
}
