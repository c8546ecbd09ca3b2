import { zeroize } from '@sec-health/crypto';
import { MAX_RECORD_VERSION, type RecordContentType } from '@sec-health/protocol';
import type { Command } from 'commander';

import { ClientError, ClientErrorCode, isClientError } from '../../errors.js';
import { isTextContent } from '../content-type.js';
import type { CliContext } from '../context.js';
import type { CliIo } from '../io.js';
import { integerFrom, uuid } from '../option-parsers.js';
import { writePrivateFile } from '../private-file.js';
import { bytesProgressText } from '../progress-text.js';
import { UsageError } from '../usage-error.js';
import { integrityRow, recordRow } from './record-view.js';

export function recordsGetCommand(records: Command, context: () => CliContext): void {
  records
    .command('get')
    .description(
      'Download, check (hash, chain anchor, author signature) and decrypt a record on this machine',
    )
    .argument('<recordId>', 'record id', uuid)
    .option(
      '--version <n>',
      'this version (default: the latest)',
      integerFrom(1, MAX_RECORD_VERSION),
    )
    .option('--out <file>', 'write the content to this file, readable by you only (mode 0600)')
    .action(async (recordId: string, options: { version?: number; out?: string }) => {
      const ctx = context();
      const opened = await ctx.withRecordFlows((flows) =>
        ctx.progress(`Fetching record ${recordId}`, (setText) =>
          flows
            .get(recordId, options.version, (done, total) =>
              setText(bytesProgressText('Downloading', done, total)),
            )
            .catch((error: unknown) => {
              throw withRecordId(error, recordId);
            }),
        ),
      );
      const { plaintext } = opened;
      const { record, integrity } = opened.access;
      const m = record.signed.metadata;
      try {
        const out =
          options.out === undefined ? undefined : await writePrivateFile(options.out, plaintext);
        if (out === undefined && !ctx.json) {
          printContent(ctx.io, plaintext, m.contentType, recordId);
          ctx.note(
            `record ${recordId} v${m.version} (${m.contentType}, ${plaintext.length} bytes), integrity: ${integrity.status}`,
          );
          return;
        }
        ctx.printRecord(
          { record, integrity, bytes: plaintext.length, ...(out === undefined ? {} : { out }) },
          [
            ...recordRow(record),
            ...integrityRow(integrity),
            ['bytes', plaintext.length],
            ['written to', out],
          ],
        );
      } finally {
        zeroize(plaintext);
      }
    });
}

/** The decrypted content on stdout: as bytes when the io takes them, else only text. */
function printContent(
  io: CliIo,
  plaintext: Uint8Array,
  contentType: RecordContentType,
  recordId: string,
): void {
  if (io.stdoutBytes) {
    io.stdoutBytes(plaintext);
  } else if (isTextContent(contentType)) {
    io.stdout(new TextDecoder().decode(plaintext));
  } else {
    throw new UsageError(
      `record ${recordId} is ${contentType}, which cannot be printed here: save it with --out <file>`,
    );
  }
}

/** Integrity failures name the record, so the message can point at `records verify`. */
function withRecordId(error: unknown, recordId: string): unknown {
  if (!isClientError(error, ClientErrorCode.IntegrityFailed) || error.details?.recordId) {
    return error;
  }
  return new ClientError(
    error.code,
    error.message,
    { ...error.details, recordId },
    { cause: error },
  );
}
