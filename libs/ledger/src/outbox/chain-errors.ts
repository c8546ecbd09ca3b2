import { isError } from 'ethers';

/** Revert data carried by an ethers error, when the node returned some. */
export function revertData(error: unknown): string | undefined {
  if (
    isError(error, 'CALL_EXCEPTION') &&
    typeof error.data === 'string' &&
    error.data.length >= 10
  ) {
    return error.data;
  }
  const nested =
    (error as { info?: { error?: { data?: unknown } }; error?: { data?: unknown } } | undefined) ??
    {};
  const data = nested.info?.error?.data ?? nested.error?.data;
  return typeof data === 'string' && data.startsWith('0x') && data.length >= 10 ? data : undefined;
}

/** True when the error is the contract refusing the call (not the network failing). */
export function isRevert(error: unknown): boolean {
  return isError(error, 'CALL_EXCEPTION') || revertData(error) !== undefined;
}

/** Broadcast answers that mean the node already has (or had) this transaction. */
export function isAlreadyKnown(error: unknown): boolean {
  const text = messageOf(error).toLowerCase();
  return (
    text.includes('already known') ||
    text.includes('known transaction') ||
    text.includes('already imported')
  );
}

export function isNonceTooLow(error: unknown): boolean {
  return (
    isError(error, 'NONCE_EXPIRED') || messageOf(error).toLowerCase().includes('nonce too low')
  );
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const info = (error as { info?: { error?: { message?: unknown } } }).info;
    return `${error.message} ${typeof info?.error?.message === 'string' ? info.error.message : ''}`;
  }
  return String(error);
}
