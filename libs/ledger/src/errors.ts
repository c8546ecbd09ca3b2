import { CodedError, errorGuard } from '@sec-health/errors';

/** Every ledger failure is a LedgerError with one of these codes and, where there is one, its cause. */
export const LedgerErrorCode = {
  /** The RPC endpoint does not answer, or a receipt did not arrive within its timeout. */
  Unavailable: 'LEDGER_UNAVAILABLE',
  /** The endpoint answers for another chain than the configured one. */
  WrongChain: 'LEDGER_WRONG_CHAIN',
  /** No contract address is known for this chain, or there is no code at it. */
  ContractMissing: 'LEDGER_CONTRACT_MISSING',
  /** A contract call reverted; `details.error` names the decoded custom error when known. */
  Reverted: 'LEDGER_REVERTED',
  /** The ledger configuration is invalid (URL, chain id, key). */
  InvalidConfig: 'LEDGER_INVALID_CONFIG',
  /** A query argument is malformed (e.g. a patientRef that is not 32 bytes of hex). */
  InvalidArgument: 'LEDGER_INVALID_ARGUMENT',
  /** An outbox intent names no known contract write, or its arguments do not encode. */
  InvalidIntent: 'LEDGER_INVALID_INTENT',
  /** The outbox row does not exist or ended in failure. */
  AnchorFailed: 'LEDGER_ANCHOR_FAILED',
} as const;
export type LedgerErrorCode = (typeof LedgerErrorCode)[keyof typeof LedgerErrorCode];

export type LedgerErrorDetails = Readonly<Record<string, string | number | boolean | null>>;

export class LedgerError extends CodedError<LedgerErrorCode, LedgerErrorDetails> {}

export const isLedgerError = errorGuard(LedgerError);

/** A one-line description of an unknown error, safe for logs (no stack, no payloads). */
export function describeCause(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string'
      ? `${code}: ${error.message.split('\n')[0]}`
      : error.message.split('\n')[0]!;
  }
  return String(error);
}
