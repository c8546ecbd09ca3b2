import {
  contractArtifacts,
  contractNames,
  duplicateErrors,
  type ContractName,
  type ContractWriteName,
} from '@sec-health/contracts';
import { Interface } from 'ethers';

import type { ChainDeployment } from '../contracts/address-book.js';
import { LedgerError, LedgerErrorCode } from '../errors.js';
import type { DecodedRevert, EncodedCall, OutboxCallEncoder } from './outbox-call.js';

/** A call argument as stored in an outbox row's JSON payload (integers as decimal strings). */
export type LedgerCallArg = string | number | boolean | readonly LedgerCallArg[];

/** What an outbox row holds: `kind` = "<Contract>.<function>", `payload.args` its arguments. */
export interface LedgerIntent {
  readonly kind: string;
  readonly payload: { readonly args: readonly LedgerCallArg[] };
}

const interfaces = Object.fromEntries(
  contractNames.map((name) => [name, new Interface(contractArtifacts[name].abi)]),
) as Record<ContractName, Interface>;

/**
 * Builds the outbox intent of one contract write, checking now (at enqueue time, inside the
 * caller's transaction) that the arguments encode, so a bad row never reaches the sender.
 */
export function ledgerIntent<C extends ContractName>(
  contract: C,
  fn: ContractWriteName<C>,
  args: readonly (LedgerCallArg | bigint)[],
): LedgerIntent {
  const jsonArgs = args.map(toJsonArg);
  encodeData(contract, fn, jsonArgs);
  return { kind: `${contract}.${fn}`, payload: { args: jsonArgs } };
}

/** The sender's encoder for the four ledger contracts of `deployment`. */
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

function encodeData(contract: ContractName, fn: string, args: readonly unknown[]): string {
  const iface = interfaces[contract];
  const fragment = iface.getFunction(fn);
  if (!fragment || fragment.constant) {
    throw invalidIntent(`${contract} has no write function ${fn}`);
  }
  try {
    return iface.encodeFunctionData(fragment, args);
  } catch (error) {
    throw invalidIntent(`${contract}.${fn}: arguments do not encode: ${(error as Error).message}`);
  }
}

function toJsonArg(value: LedgerCallArg | bigint): LedgerCallArg {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((item: LedgerCallArg | bigint) => toJsonArg(item));
  return value;
}

function invalidIntent(message: string): LedgerError {
  return new LedgerError(LedgerErrorCode.InvalidIntent, message);
}
