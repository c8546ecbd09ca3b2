import { causes, UNREACHABLE_SOCKET_CODES } from '@sec-health/errors';
import { isError } from 'ethers';

import { LedgerError, LedgerErrorCode } from './errors.js';

/**
 * Whether an error means the chain cannot be reached right now (retry later), as opposed to a
 * refusal by a contract or a bug: ethers NETWORK_ERROR, SERVER_ERROR (the endpoint answered 5xx)
 * and TIMEOUT, a refused or dropped socket, `fetch failed`, and LedgerError LEDGER_UNAVAILABLE.
 * Any other LedgerError says what it is by its code and is not unavailable. Looks through
 * `cause` chains.
 */
export function isChainUnavailable(error: unknown): boolean {
  for (const current of causes(error)) {
    if (current instanceof LedgerError) return current.code === LedgerErrorCode.Unavailable;
    if (
      isError(current, 'NETWORK_ERROR') ||
      isError(current, 'SERVER_ERROR') ||
      isError(current, 'TIMEOUT')
    ) {
      return true;
    }
    const code =
      typeof current === 'object' && current !== null && 'code' in current
        ? current.code
        : undefined;
    if (typeof code === 'string' && UNREACHABLE_SOCKET_CODES.has(code)) return true;
    if (current instanceof TypeError && current.message === 'fetch failed') return true;
  }
  return false;
}
