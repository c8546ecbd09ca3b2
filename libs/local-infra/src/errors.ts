import { CodedError, errorGuard } from '@sec-health/errors';

/** Every failure of this library is a LocalInfraError with one of these codes. */
export const LocalInfraErrorCode = {
  /** A program (nats-server, initdb, anvil, openssl...) is not installed where we look. */
  ExecutableNotFound: 'LOCAL_INFRA_EXECUTABLE_NOT_FOUND',
  /** A process could not be spawned, exited early, or did not become ready in time. */
  ProcessStartFailed: 'LOCAL_INFRA_PROCESS_START_FAILED',
  /** A process survived SIGTERM and SIGKILL. */
  ProcessStopFailed: 'LOCAL_INFRA_PROCESS_STOP_FAILED',
  /** A command run to completion (initdb, pg_ctl, openssl...) failed. */
  CommandFailed: 'LOCAL_INFRA_COMMAND_FAILED',
  /** An argument cannot be used: a subject, a principal name, a path in a config file. */
  InvalidArgument: 'LOCAL_INFRA_INVALID_ARGUMENT',
  /** A stored credential (NKey seed, signing key) is unreadable or malformed. */
  InvalidCredentials: 'LOCAL_INFRA_INVALID_CREDENTIALS',
} as const;
export type LocalInfraErrorCode = (typeof LocalInfraErrorCode)[keyof typeof LocalInfraErrorCode];

export class LocalInfraError extends CodedError<LocalInfraErrorCode> {}

export const isLocalInfraError = errorGuard(LocalInfraError);

/** A short, password-free description of an error for messages. */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(describeError).join('; ');
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code)
      ? `${code} ${error.message}`
      : error.message;
  }
  return String(error);
}

/** `url` with any password replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable url)';
  }
}
