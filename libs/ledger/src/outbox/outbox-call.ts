/** A contract call ready to sign: target address and ABI-encoded calldata. */
export interface EncodedCall {
  readonly to: string;
  readonly data: string;
}

/** A custom error decoded from revert data. */
export interface DecodedRevert {
  readonly name: string;
  readonly args: readonly unknown[];
}

/**
 * Turns an outbox row (kind + payload of hashes and refs) into a contract call, and tells which
 * reverts mean "this was already anchored" (success: the row's effect is already on chain).
 */
export interface OutboxCallEncoder {
  encode(kind: string, payload: unknown): EncodedCall;
  decodeRevert(data: string): DecodedRevert | undefined;
  isAlreadyAnchored(kind: string, revert: DecodedRevert): boolean;
}
