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
 * Turns an outbox row (kind + payload of hashes and refs) into a contract call, packs consecutive
 * rows of a kind that allows it into one call, and tells which reverts mean "this was already
 * anchored" (success: the row's effect is already on chain).
 */
export interface OutboxCallEncoder {
  encode(kind: string, payload: unknown): EncodedCall;
  /** The most rows of `kind` one call may carry; 1 when rows of `kind` are sent one by one. */
  packLimit(kind: string): number;
  /** One call carrying the rows' payloads (all of `kind`, 1 to `packLimit(kind)` of them) in order. */
  encodePacked(kind: string, payloads: readonly unknown[]): EncodedCall;
  decodeRevert(data: string): DecodedRevert | undefined;
  isAlreadyAnchored(kind: string, revert: DecodedRevert): boolean;
}
