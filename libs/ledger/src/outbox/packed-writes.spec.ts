import { contractArtifacts, type ContractName } from '@sec-health/contracts';
import { Interface, ZeroAddress } from 'ethers';
import { describe, expect, it } from 'vitest';

import type { ChainDeployment } from '../contracts/address-book.js';
import { isLedgerError, LedgerErrorCode } from '../errors.js';
import { ledgerCallEncoder, ledgerIntent } from './ledger-calls.js';
import { packedWrites } from './packed-writes.js';

const ref = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const deployment: ChainDeployment = {
  chainId: 31337,
  deployedAtBlock: 1,
  admin: ZeroAddress,
  contracts: {
    ParticipantRegistry: '0x0000000000000000000000000000000000000001',
    RecordRegistry: '0x0000000000000000000000000000000000000002',
    ConsentLedger: '0x0000000000000000000000000000000000000003',
    EmergencyAccessLog: '0x0000000000000000000000000000000000000004',
  },
};
const encoder = ledgerCallEncoder(deployment);
const registry = new Interface(contractArtifacts.RecordRegistry.abi);

function anchor(n: number) {
  return ledgerIntent('RecordRegistry', 'anchorRecord', {
    patientRef: ref(n * 10 + 1),
    recordId: ref(n * 10 + 2),
    version: n,
    ciphertextHash: ref(n * 10 + 4),
    authorRef: ref(n * 10 + 5),
    metadataHash: ref(n * 10 + 6),
  });
}

function caught(attempt: () => unknown): unknown {
  try {
    attempt();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('packed writes', () => {
  it.each(Object.entries(packedWrites))(
    '%s packs into a write taking one array per parameter, in the same order',
    (kind, packed) => {
      const [contract, fn] = kind.split('.') as [ContractName, string];
      const single = new Interface(contractArtifacts[contract].abi).getFunction(fn)!;
      const batched = new Interface(contractArtifacts[packed.contract].abi).getFunction(packed.fn)!;
      expect(packed.contract).toBe(contract);
      expect(batched.inputs.map((input) => input.type)).toEqual(
        single.inputs.map((input) => `${input.type}[]`),
      );
      // Plural names of the same parameters (patientRef -> patientRefs, ciphertextHash -> ...es).
      for (const [i, input] of batched.inputs.entries()) {
        expect(input.name).toMatch(new RegExp(`^${single.inputs[i]!.name}e?s$`));
      }
    },
  );

  it('says how many rows of a kind one call may carry', () => {
    expect(encoder.packLimit('RecordRegistry.anchorRecord')).toBe(128);
    expect(encoder.packLimit('ConsentLedger.grantConsent')).toBe(1);
    expect(encoder.packLimit('RecordRegistry.anchorRecords')).toBe(1);
  });

  it('encodes anchorRecord rows as one anchorRecords call, one array per argument, rows in order', () => {
    const intents = [anchor(1), anchor(2), anchor(3)];
    const call = encoder.encodePacked(
      'RecordRegistry.anchorRecord',
      intents.map((intent) => intent.payload),
    );
    expect(call.to).toBe(deployment.contracts.RecordRegistry);
    const decoded = registry.decodeFunctionData('anchorRecords', call.data);
    expect(decoded.toArray(true)).toEqual([
      [ref(11), ref(21), ref(31)],
      [ref(12), ref(22), ref(32)],
      [1n, 2n, 3n],
      [ref(14), ref(24), ref(34)],
      [ref(15), ref(25), ref(35)],
      [ref(16), ref(26), ref(36)],
    ]);
  });

  it.each([
    ['no rows', 'RecordRegistry.anchorRecord', []],
    [
      'more rows than the contract takes',
      'RecordRegistry.anchorRecord',
      Array(129).fill(anchor(1).payload),
    ],
    ['a payload with too few arguments', 'RecordRegistry.anchorRecord', [{ args: [ref(1)] }]],
    ['a payload without args', 'RecordRegistry.anchorRecord', [anchor(1).payload, {}]],
    [
      'a kind that does not pack',
      'ConsentLedger.grantConsent',
      [{ args: [ref(1), ref(2), ref(3), ref(4)] }],
    ],
    [
      'an argument that does not encode',
      'RecordRegistry.anchorRecord',
      [{ args: ['0x12', ref(2), '1', ref(4), ref(5), ref(6)] }],
    ],
  ])('refuses %s with a typed error', (_case, kind, payloads) => {
    const error = caught(() => encoder.encodePacked(kind, payloads));
    expect(isLedgerError(error, LedgerErrorCode.InvalidIntent)).toBe(true);
  });
});
