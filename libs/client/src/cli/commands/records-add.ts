import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';

import { zeroize } from '@sec-health/crypto';
import {
  Confidentiality,
  FHIR_CONTENT_TYPE,
  MAX_RECORD_CIPHERTEXT_BYTES,
  RECORD_CATEGORIES,
  RECORD_CONTENT_TYPES,
  type RecordCategory,
  type RecordContentType,
  type RecordVersion,
} from '@sec-health/protocol';
import { Option, type Command } from 'commander';

import { ClientError, ClientErrorCode, isClientError } from '../../errors.js';
import { validateFhirRecord } from '../../sdk/records/fhir-validation.js';
import type { RecordFlows } from '../../sdk/records/record-flows.js';
import { contentTypeFor } from '../content-type.js';
import type { CliContext } from '../context.js';
import { listOf, sensitivityCode, uuid } from '../option-parsers.js';
import { bytesProgressText, countProgressText } from '../progress-text.js';
import { UsageError } from '../usage-error.js';

interface AddOptions {
  patient: string;
  category: RecordCategory;
  confidentiality: Confidentiality;
  sensitivity?: string[];
  type?: RecordContentType;
  id?: string;
}

interface PlannedFile {
  readonly file: string;
  readonly contentType: RecordContentType;
}

interface AddedFile {
  readonly file: string;
  readonly record: RecordVersion;
}

export function recordsAddCommand(records: Command, context: () => CliContext): void {
  records
    .command('add')
    .description(
      'Encrypt files on this machine and add each as a record of the patient (FHIR JSON is validated first)',
    )
    .argument('<files...>', 'one record per file')
    .requiredOption('--patient <id>', 'the patient the records belong to', uuid)
    .addOption(
      new Option('--category <category>', 'record category')
        .choices(RECORD_CATEGORIES)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--confidentiality <level>', 'N normal, R restricted, V very restricted')
        .choices(Confidentiality.options)
        .default('N'),
    )
    .option('--sensitivity <codes>', 'HL7 sensitivity codes, e.g. HIV,PSY', listOf(sensitivityCode))
    .addOption(
      new Option(
        '--type <content-type>',
        'content type (default: from the file extension)',
      ).choices(RECORD_CONTENT_TYPES),
    )
    .option('--id <recordId>', 'the record id (one file only; default: a new UUID)', uuid)
    .action(async (files: string[], options: AddOptions) => {
      const ctx = context();
      if (options.id !== undefined && files.length > 1) {
        throw new UsageError('--id names one record: add one file at a time with it');
      }
      const planned = files.map((file) => ({
        file,
        contentType: contentTypeFor(file, options.type),
      }));
      await ctx.progress('Checking the files', () => checkFiles(planned));
      const added = await ctx.withRecordFlows((flows) => addAll(ctx, flows, planned, options));
      // --json: the RecordVersion for one file, an array of them (in file order) for several.
      const versions = added.map(({ record }) => record);
      ctx.printTable(
        versions.length === 1 ? versions[0] : versions,
        ['FILE', 'RECORD', 'VERSION', 'CATEGORY', 'TYPE', 'ANCHOR'],
        added.map(({ file, record }) => {
          const m = record.signed.metadata;
          return [
            file,
            m.recordId,
            String(m.version),
            m.category,
            m.contentType,
            record.anchor.status,
          ];
        }),
      );
    });
}

/**
 * Every file is checked before anything is uploaded, so a bad third file does not leave the
 * first two added: readable, not too large, and valid FHIR R4 when it is FHIR.
 */
async function checkFiles(planned: readonly PlannedFile[]): Promise<void> {
  for (const { file, contentType } of planned) {
    const info = await stat(file);
    if (!info.isFile()) throw new UsageError(`${file} is not a file`);
    if (info.size > MAX_RECORD_CIPHERTEXT_BYTES) {
      throw new ClientError(
        ClientErrorCode.InvalidRecord,
        `${file} has ${info.size} bytes; a record is at most 32 MiB encrypted`,
        { file },
      );
    }
    if (contentType !== FHIR_CONTENT_TYPE) continue;
    const content = await readFile(file);
    try {
      validateFhirRecord(content);
    } catch (error) {
      if (!isClientError(error, ClientErrorCode.InvalidRecord)) throw error;
      throw new ClientError(error.code, `${file}: ${error.message}`, { file }, { cause: error });
    } finally {
      zeroize(content);
    }
  }
}

async function addAll(
  ctx: CliContext,
  flows: RecordFlows,
  planned: readonly PlannedFile[],
  options: AddOptions,
): Promise<AddedFile[]> {
  const added: AddedFile[] = [];
  const total = planned.length;
  try {
    await ctx.progress('Adding', async (setText) => {
      for (const [i, { file, contentType }] of planned.entries()) {
        const step = `${countProgressText('Adding', i + 1, total, total === 1 ? 'record' : 'records')} (${basename(file)})`;
        setText(`${step}: encrypting`);
        const content = await readFile(file);
        try {
          const record = await flows.add(
            {
              patientId: options.patient,
              category: options.category,
              contentType,
              content,
              confidentiality: options.confidentiality,
              sensitivity: options.sensitivity ?? [],
              ...(options.id === undefined ? {} : { recordId: options.id }),
            },
            (done, size) => setText(`${step}: ${bytesProgressText('uploading', done, size)}`),
          );
          added.push({ file, record });
        } finally {
          zeroize(content);
        }
      }
    });
  } catch (error) {
    if (added.length > 0) {
      const list = added.map(({ file, record }) => `${file} as ${record.signed.metadata.recordId}`);
      ctx.note(`added before the failure: ${list.join(', ')}`);
    }
    throw error;
  }
  return added;
}
