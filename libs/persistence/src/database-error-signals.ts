import { UNREACHABLE_SOCKET_CODES } from '@sec-health/errors';

// What a raw pg / TypeORM / socket error says about the database, read from its code and message.
// Pure: no database, no PersistenceError (errors.ts and classify-database-error.ts build on it).

/**
 * SQLSTATEs that mean "unavailable, retry later": class 08 (connection exception), admin/crash
 * shutdown, cannot connect now (starting up), too many connections.
 */
function isUnavailableSqlState(state: string): boolean {
  return (
    state.startsWith('08') ||
    state === '57P01' ||
    state === '57P02' ||
    state === '57P03' ||
    state === '53300'
  );
}

/**
 * pg and pg-pool report a connect timeout, a dropped socket, a closed client and a pool that
 * found no free connection in time with plain Errors and these messages.
 */
const UNAVAILABLE_MESSAGES = [
  'timeout expired',
  'Connection terminated',
  'connection timeout',
  'Client has encountered a connection error',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
];

/** SQLSTATE unique_violation. */
export const UNIQUE_VIOLATION = '23505';

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  driverError?: unknown;
}

function asErrorLike(value: unknown): ErrorLike | undefined {
  return typeof value === 'object' && value !== null ? value : undefined;
}

/** The most specific code in an error: pg's SQLSTATE or Node's socket code (also inside AggregateError). */
export function errorCodeOf(error: unknown): string | undefined {
  const e = asErrorLike(error);
  if (!e) return undefined;
  if (typeof e.code === 'string') return e.code;
  const driver = asErrorLike(e.driverError);
  if (driver && typeof driver.code === 'string') return driver.code;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const code = errorCodeOf(inner);
      if (code) return code;
    }
  }
  return undefined;
}

export function messageOf(error: unknown): string {
  const e = asErrorLike(error);
  return e && typeof e.message === 'string' ? e.message : String(error);
}

/** Whether a raw error's code or message means the database cannot be reached right now. */
export function hasUnavailableSignal(error: unknown): boolean {
  const code = errorCodeOf(error);
  if (code !== undefined) {
    if (UNREACHABLE_SOCKET_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && isUnavailableSqlState(code)) return true;
  }
  const message = messageOf(error);
  return UNAVAILABLE_MESSAGES.some((m) => message.includes(m));
}
