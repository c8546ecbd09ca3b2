import type { ContractName, ContractWriteName } from '@sec-health/contracts';

import { LedgerError, LedgerErrorCode } from '../errors.js';
import type { LedgerCallArg } from './ledger-call-arg.js';

/** A batched contract write that carries several rows of one single write. */
export type PackedWrite = {
  [C in ContractName]: {
    readonly contract: C;
    readonly fn: ContractWriteName<C>;
    readonly max: number;
  };
}[ContractName];

/**
 * The writes whose outbox rows the sender packs, by row kind: consecutive rows of the kind become
 * one call of `fn`, which takes one array per parameter of the single write, in the same order,
 * and at most `max` elements (the contract's own bound: RecordRegistry.MAX_BATCH).
 */
export const packedWrites: Readonly<Record<string, PackedWrite>> = {
  'RecordRegistry.anchorRecord': { contract: 'RecordRegistry', fn: 'anchorRecords', max: 128 },
};

export function packedWriteOf(kind: string): PackedWrite | undefined {
  return Object.hasOwn(packedWrites, kind) ? packedWrites[kind] : undefined;
}

/**
 * The arguments of the batched call: the rows' argument lists (each `width` long, in ABI order)
 * turned into one array per parameter. Throws LedgerError(InvalidIntent) on a malformed payload
 * or a number of rows the batched write does not take.
 */
export function packedArgs(
  kind: string,
  payloads: readonly unknown[],
  width: number,
): LedgerCallArg[][] {
  const packed = packedWriteOf(kind);
  if (!packed) throw invalidIntent(`${kind} rows are not packed`);
  if (payloads.length === 0 || payloads.length > packed.max) {
    throw invalidIntent(`${kind}: ${payloads.length} rows; a pack takes 1 to ${packed.max}`);
  }
  const columns: LedgerCallArg[][] = Array.from({ length: width }, () => []);
  for (const [index, payload] of payloads.entries()) {
    const args = (payload as { args?: unknown } | null)?.args;
    if (!Array.isArray(args) || args.length !== width) {
      throw invalidIntent(`${kind}: payload ${index} does not hold ${width} arguments`);
    }
    for (const [i, arg] of (args as LedgerCallArg[]).entries()) columns[i]!.push(arg);
  }
  return columns;
}

function invalidIntent(message: string): LedgerError {
  return new LedgerError(LedgerErrorCode.InvalidIntent, message);
}
