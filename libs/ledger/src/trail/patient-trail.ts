import {
  contractArtifacts,
  contractNames,
  patientAuditFilter,
  type ContractName,
} from '@sec-health/contracts';
import { Interface, isHexString, type JsonRpcProvider, type Log } from 'ethers';

import type { ChainDeployment } from '../contracts/address-book.js';
import { LedgerError, LedgerErrorCode } from '../errors.js';
import { unavailable } from '../provider.js';

/** One ledger event about a patient, with what any Ethereum client needs to check it. */
export interface TrailEntry {
  readonly contract: ContractName;
  readonly event: string;
  readonly blockNumber: number;
  readonly transactionHash: string;
  readonly logIndex: number;
  /** Event arguments by name; integers as decimal strings, bytes32 as 0x hex. */
  readonly args: Readonly<Record<string, string | boolean | readonly string[]>>;
}

export interface TrailPage {
  readonly entries: readonly TrailEntry[];
  readonly fromBlock: number;
  readonly toBlock: number;
  /** Where the next page starts, or null when `toBlock` reached the requested end. */
  readonly nextFromBlock: number | null;
}

export interface TrailQuery {
  /** 32-byte pseudonymous patient reference, 0x hex. */
  readonly patientRef: string;
  /** First block to read; defaults to the deployment block. */
  readonly fromBlock?: number;
  /** Last block to read; defaults to the latest block. */
  readonly toBlock?: number;
  /** At most this many blocks are read in one call (one bounded eth_getLogs). */
  readonly maxBlocks?: number;
}

export const DEFAULT_TRAIL_MAX_BLOCKS = 10_000;

const interfaces = new Map<string, { name: ContractName; iface: Interface }>();

/**
 * One page of a patient's audit trail: a single eth_getLogs over at most `maxBlocks` blocks,
 * filtered by the indexed patientRef of all four contracts. It never reads the chain's whole
 * history in one call; page with `nextFromBlock`, or keep a projection with tx hash and block.
 */
export async function readPatientTrail(
  provider: JsonRpcProvider,
  deployment: ChainDeployment,
  query: TrailQuery,
): Promise<TrailPage> {
  if (!isHexString(query.patientRef, 32)) {
    throw new LedgerError(
      LedgerErrorCode.InvalidArgument,
      'patientRef: expected 32 bytes of 0x hex',
    );
  }
  const maxBlocks = query.maxBlocks ?? DEFAULT_TRAIL_MAX_BLOCKS;
  if (!Number.isSafeInteger(maxBlocks) || maxBlocks < 1) {
    throw new LedgerError(
      LedgerErrorCode.InvalidArgument,
      'maxBlocks: expected a positive integer',
    );
  }
  const fromBlock = Math.max(
    query.fromBlock ?? deployment.deployedAtBlock,
    deployment.deployedAtBlock,
  );
  let end: number;
  try {
    end = query.toBlock ?? (await provider.getBlockNumber());
  } catch (error) {
    throw unavailable('reading the latest block failed', error);
  }
  if (end < fromBlock) return { entries: [], fromBlock, toBlock: end, nextFromBlock: null };
  const toBlock = Math.min(end, fromBlock + maxBlocks - 1);
  const filter = patientAuditFilter({
    addresses: contractNames.map((name) => deployment.contracts[name]),
    patientRef: query.patientRef,
    fromBlock,
    toBlock,
  });
  let logs: Log[];
  try {
    logs = await provider.getLogs(filter);
  } catch (error) {
    throw unavailable('reading the patient trail failed', error);
  }
  const entries = logs
    .map((log) => decode(deployment, log))
    .filter((entry): entry is TrailEntry => entry !== undefined)
    .sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  return { entries, fromBlock, toBlock, nextFromBlock: toBlock < end ? toBlock + 1 : null };
}

function decode(deployment: ChainDeployment, log: Log): TrailEntry | undefined {
  const contract = contractOf(deployment, log.address);
  if (!contract) return undefined;
  const parsed = contract.iface.parseLog({ topics: [...log.topics], data: log.data });
  if (!parsed) return undefined;
  const args: Record<string, string | boolean | readonly string[]> = {};
  parsed.fragment.inputs.forEach((input, i) => {
    args[input.name] = toJson(parsed.args[i]);
  });
  return {
    contract: contract.name,
    event: parsed.name,
    blockNumber: log.blockNumber,
    transactionHash: log.transactionHash,
    logIndex: log.index,
    args,
  };
}

function contractOf(
  deployment: ChainDeployment,
  address: string,
): { name: ContractName; iface: Interface } | undefined {
  const name = contractNames.find(
    (candidate) => deployment.contracts[candidate].toLowerCase() === address.toLowerCase(),
  );
  if (!name) return undefined;
  let entry = interfaces.get(name);
  if (!entry) {
    entry = { name, iface: new Interface(contractArtifacts[name].abi) };
    interfaces.set(name, entry);
  }
  return entry;
}

function toJson(value: unknown): string | boolean | readonly string[] {
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => String(item));
  return String(value);
}
