import { CodedError, errorGuard } from '@sec-health/errors';

import { errorCodeOf, hasUnavailableSignal, messageOf } from './database-error-signals.js';

/** Every failure of this library is a PersistenceError with one of these codes. */
export const PersistenceErrorCode = {
  /** A data-source option is missing or invalid (schema name, pool size, synchronize...). */
  InvalidConfig: 'PERSISTENCE_INVALID_CONFIG',
  /** The database refused or dropped the connection, or did not answer in time. Retryable. */
  DatabaseUnavailable: 'DATABASE_UNAVAILABLE',
  /** The server rejected the credentials. */
  AuthenticationFailed: 'DATABASE_AUTH_FAILED',
  /** The database named in the URL does not exist. */
  DatabaseNotFound: 'DATABASE_NOT_FOUND',
  /** A statement ran longer than the statement timeout and was cancelled. */
  StatementTimeout: 'DATABASE_STATEMENT_TIMEOUT',
  /** Any other error reported by the database; details carry the SQLSTATE. */
  QueryFailed: 'DATABASE_QUERY_FAILED',
  /** A migration failed; it was rolled back, earlier ones stay applied. */
  MigrationFailed: 'PERSISTENCE_MIGRATION_FAILED',
  /** Another process held the migration lock for longer than the lock timeout. */
  MigrationLockTimeout: 'PERSISTENCE_MIGRATION_LOCK_TIMEOUT',
  /** An outbox write was attempted outside a transaction. */
  NotInTransaction: 'PERSISTENCE_NOT_IN_TRANSACTION',
  /** An outbox entry is malformed (empty key, non-object payload...). */
  InvalidOutboxEntry: 'PERSISTENCE_INVALID_OUTBOX_ENTRY',
  /** The idempotency key is already used by an entry with a different kind or payload. */
  IdempotencyConflict: 'PERSISTENCE_IDEMPOTENCY_CONFLICT',
} as const;
export type PersistenceErrorCode = (typeof PersistenceErrorCode)[keyof typeof PersistenceErrorCode];

/** Details carry names, codes and counts only: never passwords, payloads or row values. */
export type PersistenceErrorDetails = Readonly<
  Record<string, string | number | boolean | readonly (string | number)[]>
>;

export class PersistenceError extends CodedError<PersistenceErrorCode, PersistenceErrorDetails> {}

export const isPersistenceError = errorGuard(PersistenceError);

/** Where a data source points, for error messages. Never includes the password. */
export interface DatabaseTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
}

function where(target: DatabaseTarget | undefined): string {
  return target ? `${target.host}:${target.port}/${target.database}` : 'the database';
}

/** Whether an error (raw pg/TypeORM or PersistenceError) means the database is unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof PersistenceError)
    return error.code === PersistenceErrorCode.DatabaseUnavailable;
  return hasUnavailableSignal(error);
}

/**
 * Turns any error raised by pg or TypeORM into a PersistenceError with a code, the target's
 * host:port/database (never the password) and the original error as `cause`. The message quotes
 * only pg's own message and code, never the `detail` field (it can hold row values).
 */
export function toPersistenceError(error: unknown, target?: DatabaseTarget): PersistenceError {
  if (error instanceof PersistenceError) return error;
  const code = errorCodeOf(error);
  const message = messageOf(error);
  const details: Record<string, string | number> = {};
  if (target) {
    details.host = target.host;
    details.port = target.port;
    details.database = target.database;
  }
  if (code !== undefined) details.cause = code;
  const options = { cause: error };

  if (isDatabaseUnavailable(error)) {
    return new PersistenceError(
      PersistenceErrorCode.DatabaseUnavailable,
      `database unavailable at ${where(target)}: ${code ? `${code} ` : ''}${message}`,
      details,
      options,
    );
  }
  if (code === '28P01' || code === '28000') {
    return new PersistenceError(
      PersistenceErrorCode.AuthenticationFailed,
      `database at ${where(target)} rejected the credentials (${code})`,
      details,
      options,
    );
  }
  if (code === '3D000') {
    return new PersistenceError(
      PersistenceErrorCode.DatabaseNotFound,
      `database ${target ? `"${target.database}" ` : ''}does not exist on ${target ? `${target.host}:${target.port}` : 'the server'}`,
      details,
      options,
    );
  }
  if (code === '57014') {
    return new PersistenceError(
      PersistenceErrorCode.StatementTimeout,
      `statement cancelled on ${where(target)} (statement timeout or cancel request)`,
      details,
      options,
    );
  }
  return new PersistenceError(
    PersistenceErrorCode.QueryFailed,
    `database error on ${where(target)}: ${code ? `${code} ` : ''}${message}`,
    details,
    options,
  );
}
