import { ZeroHash, id } from 'ethers';
import { describe, expect, it } from 'vitest';

import {
  ContractsArgumentError,
  LedgerErrors,
  Roles,
  contractArtifacts,
  contractNames,
  contractRoles,
  duplicateErrors,
  patientAuditFilter,
} from './index.js';

const patientRef = `0x${'ab'.repeat(32)}`;
const addresses = ['0x5FbDB2315678afecb367f032d93F642f64180aa3'];

describe('exports', () => {
  it('names each role by the keccak256 of its name, admin as zero', () => {
    expect(Roles.DEFAULT_ADMIN_ROLE).toBe(ZeroHash);
    for (const [name, value] of Object.entries(Roles)) {
      if (name !== 'DEFAULT_ADMIN_ROLE') expect(value).toBe(id(name));
    }
    expect(Object.values(contractRoles).flat().sort()).toEqual(
      Object.keys(Roles)
        .filter((r) => r !== 'DEFAULT_ADMIN_ROLE')
        .sort(),
    );
  });

  it('ships ABI and creation bytecode of the four contracts', () => {
    expect(contractNames).toEqual([
      'ParticipantRegistry',
      'RecordRegistry',
      'ConsentLedger',
      'EmergencyAccessLog',
    ]);
    for (const name of contractNames) {
      const { abi, bytecode } = contractArtifacts[name];
      expect(bytecode).toMatch(/^0x[0-9a-f]{100,}$/);
      expect(abi.some((f) => f.type === 'constructor')).toBe(true);
    }
  });
});

describe('error names', () => {
  it('lists exactly the custom errors of the four ABIs', () => {
    const inAbis = new Set(
      contractNames.flatMap((name) =>
        contractArtifacts[name].abi.flatMap((f) => (f.type === 'error' ? [f.name] : [])),
      ),
    );
    expect(Object.keys(LedgerErrors).sort()).toEqual([...inAbis].sort());
    for (const [key, value] of Object.entries(LedgerErrors)) expect(value).toBe(key);
  });

  it('maps writes to duplicate errors of the same contract', () => {
    for (const [contract, writes] of Object.entries(duplicateErrors)) {
      const abi = contractArtifacts[contract as keyof typeof duplicateErrors].abi;
      for (const [write, error] of Object.entries(writes)) {
        expect(abi.some((f) => f.type === 'function' && f.name === write)).toBe(true);
        expect(abi.some((f) => f.type === 'error' && f.name === error)).toBe(true);
      }
    }
  });
});

describe('patientAuditFilter', () => {
  it('filters topic 1 on the patientRef over a bounded range', () => {
    expect(
      patientAuditFilter({
        addresses,
        patientRef: patientRef.toUpperCase().replace('0X', '0x'),
        fromBlock: 5,
        toBlock: 9,
      }),
    ).toEqual({ address: addresses, topics: [null, patientRef], fromBlock: 5, toBlock: 9 });
  });

  it.each([
    ['a short patientRef', { addresses, patientRef: '0xabcd', fromBlock: 0, toBlock: 1 }],
    ['no addresses', { addresses: [], patientRef, fromBlock: 0, toBlock: 1 }],
    ['a negative fromBlock', { addresses, patientRef, fromBlock: -1, toBlock: 1 }],
    ['a fractional toBlock', { addresses, patientRef, fromBlock: 0, toBlock: 1.5 }],
    ['toBlock before fromBlock', { addresses, patientRef, fromBlock: 4, toBlock: 3 }],
  ])('rejects %s', (_case, args) => {
    expect(() => patientAuditFilter(args)).toThrow(ContractsArgumentError);
    try {
      patientAuditFilter(args);
    } catch (err) {
      expect((err as ContractsArgumentError).code).toBe('CONTRACTS_INVALID_ARGUMENT');
    }
  });
});
