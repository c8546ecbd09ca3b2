import { contractArtifacts } from '@sec-health/contracts';
import { Interface, ZeroAddress } from 'ethers';
import { describe, expect, it } from 'vitest';

import type { ChainDeployment } from '../contracts/address-book.js';
import { isLedgerError, LedgerErrorCode } from '../errors.js';
import { ledgerCallEncoder, ledgerIntent } from './ledger-calls.js';

const B32 = `0x${'11'.repeat(32)}`;
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
const registry = new Interface(contractArtifacts.RecordRegistry.abi);

describe('ledgerIntent and ledgerCallEncoder', () => {
  it('encodes an intent to the contract call it names, with integers kept as JSON strings', () => {
    const intent = ledgerIntent('RecordRegistry', 'anchorRecord', [B32, B32, 3n, B32, B32]);
    expect(intent).toEqual({
      kind: 'RecordRegistry.anchorRecord',
      payload: { args: [B32, B32, '3', B32, B32] },
    });
    const call = ledgerCallEncoder(deployment).encode(intent.kind, intent.payload);
    expect(call.to).toBe(deployment.contracts.RecordRegistry);
    const decoded = registry.decodeFunctionData('anchorRecord', call.data);
    expect(decoded.getValue('version')).toBe(3n);
  });

  it('refuses, with a typed error, arguments that do not encode and calls that do not exist', () => {
    const attempts = [
      () => ledgerIntent('RecordRegistry', 'anchorRecord', [B32, B32, 1]),
      () => ledgerIntent('RecordRegistry', 'anchorRecord', ['0x12', B32, 1, B32, B32]),
      () => ledgerIntent('RecordRegistry', 'patientOf' as 'anchorRecord', [B32]),
      () => ledgerCallEncoder(deployment).encode('Nope.anchorRecord', { args: [] }),
      () => ledgerCallEncoder(deployment).encode('RecordRegistry.anchorRecord', { args: 'x' }),
    ];
    for (const attempt of attempts) {
      let caught: unknown;
      try {
        attempt();
      } catch (error) {
        caught = error;
      }
      expect(isLedgerError(caught, LedgerErrorCode.InvalidIntent)).toBe(true);
    }
  });

  it('treats exactly the duplicate error of the same write as "already anchored"', () => {
    const encoder = ledgerCallEncoder(deployment);
    const data = registry.encodeErrorResult('RecordAlreadyAnchored', [B32, 1]);
    const revert = encoder.decodeRevert(data);
    expect(revert?.name).toBe('RecordAlreadyAnchored');
    expect(encoder.isAlreadyAnchored('RecordRegistry.anchorRecord', revert!)).toBe(true);
    expect(encoder.isAlreadyAnchored('ConsentLedger.grantConsent', revert!)).toBe(false);
    const other = encoder.decodeRevert(
      registry.encodeErrorResult('RecordPatientMismatch', [B32, B32]),
    );
    expect(encoder.isAlreadyAnchored('RecordRegistry.anchorRecord', other!)).toBe(false);
    expect(encoder.decodeRevert('0xdeadbeef')).toBeUndefined();
  });
});
