import { makeError } from 'ethers';
import { describe, expect, it } from 'vitest';

import { isChainUnavailable } from './chain-unavailable.js';
import { LedgerError, LedgerErrorCode } from './errors.js';

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:8545`), { code });
}

const cases: readonly { name: string; error: unknown; expected: boolean }[] = [
  {
    name: 'ethers NETWORK_ERROR',
    error: makeError('network changed', 'NETWORK_ERROR', { event: 'x' }),
    expected: true,
  },
  {
    name: 'ethers SERVER_ERROR (endpoint answered 502)',
    error: makeError('server response 502', 'SERVER_ERROR', {
      request: undefined as never,
      response: undefined,
    }),
    expected: true,
  },
  {
    name: 'ethers TIMEOUT (endpoint frozen)',
    error: makeError('request timeout', 'TIMEOUT', { operation: 'request', reason: 'timeout' }),
    expected: true,
  },
  { name: 'connection refused', error: socketError('ECONNREFUSED'), expected: true },
  { name: 'connection reset', error: socketError('ECONNRESET'), expected: true },
  {
    name: 'fetch failed',
    error: new TypeError('fetch failed', { cause: socketError('ECONNREFUSED') }),
    expected: true,
  },
  {
    name: 'LedgerError LEDGER_UNAVAILABLE',
    error: new LedgerError(LedgerErrorCode.Unavailable, 'ledger unavailable'),
    expected: true,
  },
  {
    name: 'refused, as the cause of a wrapper',
    error: new Error('sending failed', { cause: socketError('ECONNREFUSED') }),
    expected: true,
  },
  {
    name: 'a contract revert',
    error: makeError('execution reverted', 'CALL_EXCEPTION', {
      action: 'estimateGas',
      data: '0x12345678',
      reason: null,
      transaction: { to: null, data: '0x' },
      invocation: null,
      revert: null,
    }),
    expected: false,
  },
  {
    name: 'nonce expired',
    error: makeError('nonce too low', 'NONCE_EXPIRED', { transaction: {} }),
    expected: false,
  },
  {
    name: 'LedgerError LEDGER_REVERTED, even with a network cause',
    error: new LedgerError(
      LedgerErrorCode.Reverted,
      'reverted',
      {},
      { cause: socketError('ECONNREFUSED') },
    ),
    expected: false,
  },
  {
    name: 'LedgerError LEDGER_ANCHOR_FAILED',
    error: new LedgerError(LedgerErrorCode.AnchorFailed, 'failed'),
    expected: false,
  },
  { name: 'another TypeError', error: new TypeError('x is undefined'), expected: false },
  {
    name: 'a database error',
    error: Object.assign(new Error('duplicate key'), { code: '23505' }),
    expected: false,
  },
  { name: 'not an Error', error: 'ECONNREFUSED', expected: false },
  { name: 'undefined', error: undefined, expected: false },
];

describe('isChainUnavailable', () => {
  it.each(cases)('$name -> $expected', ({ error, expected }) => {
    expect(isChainUnavailable(error)).toBe(expected);
  });
});
