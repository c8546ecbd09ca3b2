import { ErrorCode, ProtocolError } from '@sec-health/protocol';
import { describe, expect, it } from 'vitest';

import { ClientError, ClientErrorCode } from '../errors.js';
import { describeError } from './describe-error.js';
import { UsageError } from './usage-error.js';

const RECORD = '0192f7a4-1c2b-7d3e-8f40-123456789abc';

describe('describeError', () => {
  it('says that an invalid record was refused before encryption, and what to do', () => {
    const error = new ClientError(
      ClientErrorCode.InvalidRecord,
      'a.json: not valid FHIR R4: Missing required property (Patient.gender)',
    );
    expect(describeError(error, 'pat')).toEqual({
      code: 'CLIENT_INVALID_RECORD',
      message:
        'the record was refused before encryption: a.json: not valid FHIR R4: Missing required property (Patient.gender): correct the file (or its --type) and run the command again',
      exitCode: 1,
    });
  });

  it('points an integrity failure of a known record at `records verify`', () => {
    const error = new ClientError(
      ClientErrorCode.IntegrityFailed,
      'the downloaded content does not match the SHA-256 the author signed',
      { recordId: RECORD },
    );
    const { message, exitCode } = describeError(error, 'pat');
    expect(exitCode).toBe(1);
    expect(message).toMatch(/^integrity check failed: the downloaded content does not match/);
    expect(message).toContain('nothing of it was decrypted or saved');
    expect(message).toContain(`\`sechealth records verify ${RECORD}\``);
  });

  it('leaves a broken-off transfer at "retry"', () => {
    const error = new ClientError(
      ClientErrorCode.IntegrityFailed,
      `the download of ${RECORD} v1 broke off after 10 of 20 bytes: retry`,
      { received: 10, total: 20, recordId: RECORD },
    );
    expect(describeError(error, 'pat').message).toBe(
      `integrity check failed: the download of ${RECORD} v1 broke off after 10 of 20 bytes: retry`,
    );
  });

  it('explains INTEGRITY_MISMATCH from the services', () => {
    const error = new ProtocolError(
      ErrorCode.IntegrityMismatch,
      'content hash differs from anchor',
    );
    const described = describeError(error, 'pat', 'records get');
    expect(described.code).toBe('INTEGRITY_MISMATCH');
    expect(described.message).toMatch(/not served: content hash differs from anchor: report it/);
  });

  it('hints at grants when a records command is forbidden, at the role otherwise', () => {
    const error = new ProtocolError(ErrorCode.Forbidden, 'no active grant');
    expect(describeError(error, 'dr', 'records get').message).toBe(
      "not allowed: no active grant (another patient's records need an active grant from them: `sechealth patients` lists yours)",
    );
    expect(describeError(error, 'dr', 'org create').message).toContain('sechealth whoami');
  });

  it('names the file and the reason for a file system failure', () => {
    const error = Object.assign(new Error("ENOENT: no such file or directory, stat 'x.pdf'"), {
      code: 'ENOENT',
      syscall: 'stat',
      path: 'x.pdf',
    });
    expect(describeError(error, 'pat')).toEqual({
      code: 'FILE',
      message: 'x.pdf: no such file or directory: check the path and its permissions',
      exitCode: 1,
    });
  });

  it('keeps usage errors at exit code 2 and anything unknown at "please report it"', () => {
    expect(describeError(new UsageError('pass --type'), 'pat').exitCode).toBe(2);
    expect(describeError(new Error('boom'), 'pat').message).toBe(
      'unexpected failure: boom (please report it)',
    );
  });
});
