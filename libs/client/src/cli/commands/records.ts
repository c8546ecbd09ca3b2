import {
  Confidentiality,
  MAX_RECORD_VERSION,
  RECORD_CATEGORIES,
  type RecordCategory,
  Uuid,
} from '@sec-health/protocol';
import type { Command } from 'commander';

import { ClientError, ClientErrorCode } from '../../errors.js';
import { allPages } from '../all-pages.js';
import type { CliContext } from '../context.js';
import { integerFrom, listOf, oneOf, sensitivityCode, uuid } from '../option-parsers.js';
import { countProgressText } from '../progress-text.js';
import { parseIsoBound } from '../time-options.js';
import { UsageError } from '../usage-error.js';
import { recordsAddCommand } from './records-add.js';
import { recordsGetCommand } from './records-get.js';
import {
  HISTORY_COLUMNS,
  RECORD_COLUMNS,
  historyCells,
  integrityRow,
  recordCells,
} from './record-view.js';

interface ListOptions {
  patient: string;
  category?: RecordCategory[];
  author?: string;
  confidentiality?: Confidentiality[];
  sensitivity?: string[];
  from?: string;
  to?: string;
}

const PAGE = 200;

export function recordsCommand(program: Command, context: () => CliContext): void {
  const records = program
    .command('records')
    .description('Health records: encrypted and decrypted on this machine only');

  recordsAddCommand(records, context);
  recordsGetCommand(records, context);

  records
    .command('list')
    .description("List a patient's records you may read (latest versions, every page)")
    .requiredOption('--patient <id>', 'the patient', uuid)
    .option(
      '--category <list>',
      'only these categories, e.g. allergies,notes',
      listOf(oneOf(RECORD_CATEGORIES)),
    )
    .option('--author <id>', 'only records written by this participant', uuid)
    .option(
      '--confidentiality <list>',
      'only these levels, e.g. N,R',
      listOf(oneOf(Confidentiality.options)),
    )
    .option(
      '--sensitivity <codes>',
      'only records carrying any of these codes, e.g. HIV',
      listOf(sensitivityCode),
    )
    .option(
      '--from <time>',
      'created at or after (ISO time, or a date: from its start, UTC)',
      (v) => parseIsoBound(v, 'start'),
    )
    .option('--to <time>', 'created at or before (ISO time, or a date: to its end, UTC)', (v) =>
      parseIsoBound(v, 'end'),
    )
    .action(async (options: ListOptions) => {
      const ctx = context();
      const client = await ctx.authenticatedClient();
      const items = await ctx.progress('Listing records', () =>
        allPages((after) =>
          client.call('records.list', {
            patientId: options.patient,
            category: options.category,
            authorId: options.author,
            confidentiality: options.confidentiality,
            sensitivity: options.sensitivity,
            createdFrom: options.from,
            createdTo: options.to,
            limit: PAGE,
            after,
          }),
        ),
      );
      ctx.printTable({ items }, RECORD_COLUMNS, items.map(recordCells));
    });

  records
    .command('rotate')
    .description(
      'Re-encrypt records under fresh keys (a new version each, new shares, re-wrapped to their current grantees): what `grants revoke` does, to finish one that was interrupted',
    )
    .argument('<recordIds...>', 'record ids')
    .action(async (given: string[]) => {
      const recordIds = given.map((id) => {
        if (!Uuid.safeParse(id).success)
          throw new UsageError(`"${id}" is not a record id (a UUID)`);
        return id.toLowerCase();
      });
      const ctx = context();
      const rotated = await ctx.withRecordFlows((flows) =>
        ctx.progress('Rotating', async (setText) => {
          const versions = [];
          for (const [i, recordId] of recordIds.entries()) {
            setText(countProgressText('Rotating', i, recordIds.length, 'records'));
            versions.push(await flows.rotate(recordId));
          }
          return versions;
        }),
      );
      ctx.printTable(rotated, HISTORY_COLUMNS, rotated.map(historyCells));
    });

  records
    .command('history')
    .description('Every version of a record you may read')
    .argument('<recordId>', 'record id', uuid)
    .action(async (recordId: string) => {
      const ctx = context();
      const client = await ctx.authenticatedClient();
      const history = await ctx.progress('Reading the history', () =>
        client.call('records.history', { recordId }),
      );
      ctx.printTable(history, HISTORY_COLUMNS, history.versions.map(historyCells));
    });

  records
    .command('verify')
    .description(
      "Have the storage service recompute the stored content's hash and compare it and the metadata with the chain anchor (exit code 1 on a mismatch)",
    )
    .argument('<recordId>', 'record id', uuid)
    .option(
      '--version <n>',
      'this version (default: the latest)',
      integerFrom(1, MAX_RECORD_VERSION),
    )
    .action(async (recordId: string, options: { version?: number }) => {
      const ctx = context();
      const client = await ctx.authenticatedClient();
      const report = await ctx.progress('Verifying', () =>
        client.call('records.verify', { recordId, version: options.version }),
      );
      ctx.printRecord(report, [
        ['record', report.recordId],
        ['version', report.version],
        ...integrityRow(report.integrity),
      ]);
      if (report.integrity.status === 'mismatch') {
        const problems = report.integrity.problems.join('; ') || 'no detail given';
        throw new ClientError(
          ClientErrorCode.IntegrityFailed,
          `record ${report.recordId} v${report.version} does not match its signature or its chain anchor (${problems})`,
          { version: report.version },
        );
      }
    });
}
