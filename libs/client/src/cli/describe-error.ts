import { CryptoErrorCode, isCryptoError } from '@sec-health/crypto';
import { ErrorCode, ProtocolError } from '@sec-health/protocol';

import { ClientError } from '../errors.js';
import { UsageError } from './usage-error.js';

export interface DescribedError {
  readonly code: string;
  /** One line: what went wrong and what to do next. */
  readonly message: string;
  readonly exitCode: 1 | 2;
}

/** Turns any failure into one line for a person; never a stack trace, never a secret. */
export function describeError(error: unknown, profile: string): DescribedError {
  const login = `run \`sechealth login --profile ${profile}\``;
  if (error instanceof UsageError) {
    return { code: 'USAGE', message: error.message, exitCode: 2 };
  }
  if (error instanceof ClientError) {
    return { code: error.code, message: error.message, exitCode: 1 };
  }
  if (error instanceof ProtocolError) {
    return { code: error.code, message: protocolMessage(error, login), exitCode: 1 };
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
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'UNEXPECTED',
    message: `unexpected failure: ${message} (please report it)`,
    exitCode: 1,
  };
}

function protocolMessage(error: ProtocolError, login: string): string {
  switch (error.code) {
    case ErrorCode.Unauthenticated:
      return `not logged in (${error.message}): ${login}`;
    case ErrorCode.Forbidden:
      return `not allowed: ${error.message} (check your role with \`sechealth whoami\`)`;
    case ErrorCode.NotFound:
      return `not found: ${error.message}`;
    case ErrorCode.Conflict:
      return `conflict: ${error.message}`;
    case ErrorCode.ValidationFailed:
      return `invalid input: ${error.message}`;
    case ErrorCode.RateLimited:
      return `too many requests: ${error.message}: wait a moment and retry`;
    case ErrorCode.DependencyUnavailable:
      return `a service behind the gateway is unavailable: ${error.message}: check the \`npm start\` output and retry`;
    default:
      return `the gateway failed: ${error.message}: retry, and check the service logs if it persists`;
  }
}
