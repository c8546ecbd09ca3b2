import { CryptoErrorCode, isCryptoError } from '@sec-health/crypto';
import { ErrorCode, ProtocolError } from '@sec-health/protocol';

import { ClientError, ClientErrorCode } from '../errors.js';
import { UsageError } from './usage-error.js';

export interface DescribedError {
  readonly code: string;
  /** One line: what went wrong and what to do next. */
  readonly message: string;
  readonly exitCode: 1 | 2;
}

/**
 * Turns any failure into one line for a person; never a stack trace, never a secret. `command`
 * is the command that ran ("records get"), for hints that depend on it.
 */
export function describeError(error: unknown, profile: string, command = ''): DescribedError {
  const login = `run \`sechealth login --profile ${profile}\``;
  if (error instanceof UsageError) {
    return { code: 'USAGE', message: error.message, exitCode: 2 };
  }
  if (error instanceof ClientError) {
    return { code: error.code, message: clientMessage(error), exitCode: 1 };
  }
  if (error instanceof ProtocolError) {
    return { code: error.code, message: protocolMessage(error, login, command), exitCode: 1 };
  }
  if (isCryptoError(error, CryptoErrorCode.KeystoreWrongPassphrase)) {
    return {
      code: error.code,
      message: `wrong passphrase for profile "${profile}": try again (check SECHEALTH_PASSPHRASE if it is set)`,
      exitCode: 1,
    };
  }
  if (isCryptoError(error)) {
    return {
      code: error.code,
      message: `the keystore of profile "${profile}" cannot be used: ${error.message}`,
      exitCode: 1,
    };
  }
  if (error instanceof Error && error.name === 'ExitPromptError') {
    return { code: 'CANCELLED', message: 'cancelled', exitCode: 1 };
  }
  const file = fileProblem(error);
  if (file) return { code: 'FILE', message: file, exitCode: 1 };
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'UNEXPECTED',
    message: `unexpected failure: ${message} (please report it)`,
    exitCode: 1,
  };
}

function clientMessage(error: ClientError): string {
  switch (error.code) {
    case ClientErrorCode.InvalidRecord:
      return `the record was refused before encryption: ${error.message}: correct the file (or its --type) and run the command again`;
    case ClientErrorCode.IntegrityFailed: {
      // A transfer that broke off already says to retry; anything else is a mismatch.
      if (error.details?.received !== undefined) return `integrity check failed: ${error.message}`;
      const recordId = error.details?.recordId;
      const verify =
        typeof recordId === 'string'
          ? ` (\`sechealth records verify ${recordId}\` shows what the storage service and the chain report)`
          : '';
      return `integrity check failed: ${error.message}: nothing of it was decrypted or saved; do not trust the stored copy and report it to the authority${verify}`;
    }
    default:
      return error.message;
  }
}

function protocolMessage(error: ProtocolError, login: string, command: string): string {
  switch (error.code) {
    case ErrorCode.Unauthenticated:
      return `not logged in (${error.message}): ${login}`;
    case ErrorCode.Forbidden:
      return isRecordCommand(command)
        ? `not allowed: ${error.message} (another patient's records need an active grant from them: \`sechealth patients\` lists yours)`
        : `not allowed: ${error.message} (check your role with \`sechealth whoami\`)`;
    case ErrorCode.NotFound:
      return `not found: ${error.message}`;
    case ErrorCode.Conflict:
      return `conflict: ${error.message}`;
    case ErrorCode.ValidationFailed:
      return `invalid input: ${error.message}`;
    case ErrorCode.PayloadTooLarge:
      return `too large: ${error.message}`;
    case ErrorCode.RateLimited:
      return `too many requests: ${error.message}: wait a moment and retry`;
    case ErrorCode.Overloaded:
      return `the service is busy: ${error.message}: retry in a moment`;
    case ErrorCode.IntegrityMismatch:
      return `the stored record no longer matches its signature or its chain anchor, so it is not served: ${error.message}: report it to the authority (\`sechealth records verify <recordId>\` shows the details)`;
    case ErrorCode.DependencyUnavailable:
      return `a service behind the gateway is unavailable: ${error.message}: check the \`npm start\` output and retry`;
    default:
      return `the gateway failed: ${error.message}: retry, and check the service logs if it persists`;
  }
}

function isRecordCommand(command: string): boolean {
  return command === 'patients' || command.startsWith('records ');
}

/** A file the command was told to read or write could not be: says which and why. */
function fileProblem(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, path } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof path !== 'string') return undefined;
  const why =
    {
      ENOENT: 'no such file or directory',
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      EISDIR: 'is a directory',
      ENOTDIR: 'a part of the path is not a directory',
      ENOSPC: 'no space left on the device',
      EROFS: 'read-only file system',
    }[code] ?? code;
  return `${path}: ${why}: check the path and its permissions`;
}
