import {
  contractArtifacts,
  contractNames,
  duplicateErrors,
  type ContractName,
  type ContractWriteName,
} from '@sec-health/contracts';
import { Interface, type FunctionFragment } from 'ethers';

import type { ChainDeployment } from '../contracts/address-book.js';
import { LedgerError, LedgerErrorCode, type LedgerErrorDetails } from '../errors.js';
import type { DecodedRevert, EncodedCall, OutboxCallEncoder } from './outbox-call.js';
import type { LedgerCallArg } from './ledger-call-arg.js';
import { packedArgs, packedWriteOf } from './packed-writes.js';

export type { LedgerCallArg };

/**
 * What an outbox row holds: `kind` = "<Contract>.<function>", `payload.args` its arguments in ABI
 * order (the stored form; callers name them, see `ledgerIntent`).
 */
export interface LedgerIntent {
  readonly kind: string;
  readonly payload: { readonly args: readonly LedgerCallArg[] };
}

type WriteFragment<C extends ContractName, F extends ContractWriteName<C>> = Extract<
  (typeof contractArtifacts)[C]['abi'][number],
  { type: 'function'; name: F; stateMutability: 'nonpayable' }
>;

/**
 * The TypeScript value accepted for a Solidity parameter type: integers as number or bigint,
 * bool as boolean, bytesN / address / string as (hex) string, T[] as an array. No write function
 * takes a struct; a tuple parameter maps to `never` until one does.
 */
export type SolidityArg<T extends string> = T extends `${infer Item}[]`
  ? readonly SolidityArg<Item>[]
  : T extends 'bool'
    ? boolean
    : T extends `uint${string}` | `int${string}`
      ? number | bigint
      : T extends `tuple${string}`
        ? never
        : string;

/**
 * The named arguments of contract write `C.F`, derived from the ABI's parameter names and types:
 * e.g. `LedgerCallArgs<'RecordRegistry', 'anchorRecord'>` is `{ patientRef: string; recordId:
 * string; version: number | bigint; ciphertextHash: string; authorRef: string; metadataHash:
 * string }`. A missing, misspelt or extra name is a type error, so two bytes32 values cannot be
 * swapped unnoticed.
 */
export type LedgerCallArgs<C extends ContractName, F extends ContractWriteName<C>> = {
  readonly [P in WriteFragment<C, F>['inputs'][number] as P['name']]: SolidityArg<P['type']>;
};

const interfaces = Object.fromEntries(
  contractNames.map((name) => [name, new Interface(contractArtifacts[name].abi)]),
) as Record<ContractName, Interface>;

/**
 * Builds the outbox intent of one contract write from its named arguments, e.g.
 * `ledgerIntent('ParticipantRegistry', 'attestParticipant', { participantRef, attestationHash,
 * role, validUntil })`. It puts them in ABI order and checks now (at enqueue time, inside the
 * caller's transaction) that they encode, so a bad row never reaches the sender; a missing or
 * unknown name fails with LedgerError(InvalidIntent) naming it.
 */
export function ledgerIntent<C extends ContractName, F extends ContractWriteName<C>>(
  contract: C,
  fn: F,
  args: LedgerCallArgs<C, F>,
): LedgerIntent {
  const fragment = writeFragment(contract, fn);
  const jsonArgs = argsInAbiOrder(`${contract}.${fn}`, fragment, args).map(toJsonArg);
  encodeData(contract, fn, jsonArgs);
  return { kind: `${contract}.${fn}`, payload: { args: jsonArgs } };
}

function argsInAbiOrder(call: string, fragment: FunctionFragment, args: unknown): CallValue[] {
  const names = fragment.inputs.map((input) => input.name);
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw invalidIntent(`${call}: expected named arguments { ${names.join(', ')} }`);
  }
  const given = args as Record<string, CallValue | undefined>;
  const missing = names.filter((name) => !Object.hasOwn(given, name) || given[name] === undefined);
  const unknown = Object.keys(given).filter((name) => !names.includes(name));
  if (missing.length > 0 || unknown.length > 0) {
    const problems = [
      missing.length > 0 ? `missing ${missing.join(', ')}` : '',
      unknown.length > 0 ? `unknown ${unknown.join(', ')}` : '',
    ].filter(Boolean);
    throw invalidIntent(`${call}: ${problems.join('; ')} (expected { ${names.join(', ')} })`, {
      missing: missing.join(','),
      unknown: unknown.join(','),
    });
  }
  return names.map((name) => given[name]!);
}

/**
 * The sender's encoder for the four ledger contracts of `deployment`; rows of the kinds in
 * `packedWrites` (RecordRegistry.anchorRecord) pack into their batched write (anchorRecords).
 */
export function ledgerCallEncoder(deployment: ChainDeployment): OutboxCallEncoder {
  return {
    encode(kind: string, payload: unknown): EncodedCall {
      const { contract, fn } = parseKind(kind);
      const args = (payload as { args?: unknown } | null)?.args;
      if (!Array.isArray(args)) throw invalidIntent(`${kind}: payload.args is not an array`);
      return {
        to: deployment.contracts[contract],
        data: encodeData(contract, fn, args as LedgerCallArg[]),
      };
    },

    packLimit(kind: string): number {
      return packedWriteOf(kind)?.max ?? 1;
    },

    encodePacked(kind: string, payloads: readonly unknown[]): EncodedCall {
      const { contract, fn } = parseKind(kind);
      const width = writeFragment(contract, fn).inputs.length;
      const args = packedArgs(kind, payloads, width);
      const packed = packedWriteOf(kind)!;
      return {
        to: deployment.contracts[packed.contract],
        data: encodeData(packed.contract, packed.fn, args),
      };
    },

    decodeRevert(data: string): DecodedRevert | undefined {
      for (const name of contractNames) {
        try {
          const parsed = interfaces[name].parseError(data);
          if (parsed) return { name: parsed.name, args: [...parsed.args] };
        } catch {
          // not this contract's error
        }
      }
      return undefined;
    },

    isAlreadyAnchored(kind: string, revert: DecodedRevert): boolean {
      const { contract, fn } = parseKind(kind);
      const expected = (duplicateErrors[contract] as Partial<Record<string, string>>)[fn];
      return expected !== undefined && expected === revert.name;
    },
  };
}

function parseKind(kind: string): { contract: ContractName; fn: string } {
  const [contract, fn, ...rest] = kind.split('.');
  if (!contractNames.includes(contract as ContractName) || !fn || rest.length > 0) {
    throw invalidIntent(`unknown ledger call kind ${JSON.stringify(kind)}`);
  }
  return { contract: contract as ContractName, fn };
}

function writeFragment(contract: ContractName, fn: string): FunctionFragment {
  const fragment = interfaces[contract].getFunction(fn);
  if (!fragment || fragment.constant) {
    throw invalidIntent(`${contract} has no write function ${fn}`);
  }
  return fragment;
}

function encodeData(contract: ContractName, fn: string, args: readonly unknown[]): string {
  const fragment = writeFragment(contract, fn);
  try {
    return interfaces[contract].encodeFunctionData(fragment, args);
  } catch (error) {
    throw invalidIntent(`${contract}.${fn}: arguments do not encode: ${(error as Error).message}`);
  }
}

/** A named argument as callers give it: LedgerCallArg, with integers also as bigint. */
type CallValue = string | number | boolean | bigint | readonly CallValue[];

function toJsonArg(value: CallValue): LedgerCallArg {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return (value as readonly CallValue[]).map(toJsonArg);
  return value as string | number | boolean;
}

function invalidIntent(message: string, details?: LedgerErrorDetails): LedgerError {
  return new LedgerError(LedgerErrorCode.InvalidIntent, message, details);
}
