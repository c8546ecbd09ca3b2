import { describe, expect, it } from 'vitest';

import { classifyDatabaseError } from './classify-database-error.js';
import { PersistenceError, PersistenceErrorCode, toPersistenceError } from './errors.js';

/** An Error with a `code`, as pg (SQLSTATE) and Node sockets (errno name) raise them. */
function coded(code: string, message = `failed with ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

/** TypeORM's QueryFailedError keeps pg's error as `driverError`. */
function queryFailed(code: string): Error {
  return Object.assign(new Error('query failed'), { driverError: coded(code) });
}

type Case = { name: string; error: unknown; expected: 'unavailable' | 'conflict' | 'other' };

const cases: readonly Case[] = [
  {
    name: 'connection refused',
    error: coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
    expected: 'unavailable',
  },
  {
    name: 'connection reset',
    error: coded('ECONNRESET', 'read ECONNRESET'),
    expected: 'unavailable',
  },
  {
    name: 'refused on every address (AggregateError)',
    error: new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], ''),
    expected: 'unavailable',
  },
  {
    name: 'connection terminated (pg)',
    error: new Error('Connection terminated unexpectedly'),
    expected: 'unavailable',
  },
  {
    name: 'connect timeout (pg)',
    error: new Error('Connection terminated due to connection timeout'),
    expected: 'unavailable',
  },
  {
    name: 'connect timeout (pg client)',
    error: new Error('timeout expired'),
    expected: 'unavailable',
  },
  {
    name: 'no free pool connection in time (pg-pool)',
    error: new Error('timeout exceeded when trying to connect'),
    expected: 'unavailable',
  },
  {
    name: 'closed client',
    error: new Error('Client was closed and is not queryable'),
    expected: 'unavailable',
  },
  {
    name: '57P01 admin shutdown',
    error: coded('57P01', 'terminating connection due to administrator command'),
    expected: 'unavailable',
  },
  { name: '57P02 crash shutdown', error: coded('57P02'), expected: 'unavailable' },
  {
    name: '57P03 cannot connect now',
    error: coded('57P03', 'the database system is starting up'),
    expected: 'unavailable',
  },
  { name: '08006 connection failure', error: coded('08006'), expected: 'unavailable' },
  { name: '08001 cannot establish', error: coded('08001'), expected: 'unavailable' },
  { name: '53300 too many connections', error: coded('53300'), expected: 'unavailable' },
  {
    name: 'unavailable inside a TypeORM error',
    error: queryFailed('57P01'),
    expected: 'unavailable',
  },
  {
    name: 'PersistenceError DATABASE_UNAVAILABLE',
    error: new PersistenceError(PersistenceErrorCode.DatabaseUnavailable, 'down'),
    expected: 'unavailable',
  },
  {
    name: 'wrapped by toPersistenceError',
    error: toPersistenceError(coded('ECONNREFUSED')),
    expected: 'unavailable',
  },
  {
    name: 'unavailable as the cause of another error',
    error: new Error('request failed', { cause: coded('ECONNRESET') }),
    expected: 'unavailable',
  },
  {
    name: '23505 unique violation',
    error: coded('23505', 'duplicate key value violates unique constraint'),
    expected: 'conflict',
  },
  { name: '23505 inside a TypeORM error', error: queryFailed('23505'), expected: 'conflict' },
  {
    name: '23505 wrapped by toPersistenceError',
    error: toPersistenceError(coded('23505')),
    expected: 'conflict',
  },
  {
    name: 'outbox idempotency conflict',
    error: new PersistenceError(PersistenceErrorCode.IdempotencyConflict, 'reused'),
    expected: 'conflict',
  },
  { name: '23503 foreign key violation', error: coded('23503'), expected: 'other' },
  { name: '23514 check violation', error: coded('23514'), expected: 'other' },
  { name: '42P01 undefined table', error: queryFailed('42P01'), expected: 'other' },
  { name: '57014 statement timeout', error: coded('57014'), expected: 'other' },
  { name: '28P01 wrong password', error: coded('28P01'), expected: 'other' },
  {
    name: 'PersistenceError INVALID_CONFIG',
    error: new PersistenceError(PersistenceErrorCode.InvalidConfig, 'schema: bad'),
    expected: 'other',
  },
  { name: 'a plain bug', error: new TypeError('x is undefined'), expected: 'other' },
  { name: 'not an Error at all', error: 'boom', expected: 'other' },
  { name: 'undefined', error: undefined, expected: 'other' },
];

describe('classifyDatabaseError', () => {
  it.each(cases)('$name -> $expected', ({ error, expected }) => {
    expect(classifyDatabaseError(error)).toBe(expected);
  });

  it('stops on a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });
    expect(classifyDatabaseError(a)).toBe('other');
  });
});
