import { contractArtifacts } from '@sec-health/contracts';
import { Interface, ZeroAddress } from 'ethers';
import { describe, expect, expectTypeOf, it } from 'vitest';

import type { ChainDeployment } from '../contracts/address-book.js';
import { isLedgerError, LedgerErrorCode } from '../errors.js';
import { ledgerCallEncoder, ledgerIntent, type LedgerCallArgs } from './ledger-calls.js';

const B32 = `0x${'11'.repeat(32)}`;
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
const registry = new Interface(contractArtifacts.RecordRegistry.abi);
const participants = new Interface(contractArtifacts.ParticipantRegistry.abi);

function caught(attempt: () => unknown): unknown {
  try {
    attempt();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('ledgerIntent and ledgerCallEncoder', () => {
  it('stores named arguments in ABI order, with integers kept as JSON strings', () => {
    const intent = ledgerIntent('RecordRegistry', 'anchorRecord', {
      metadataHash: ref(6),
      authorRef: ref(5),
      ciphertextHash: ref(4),
      version: 3n,
      recordId: ref(2),
      patientRef: ref(1),
    });
    expect(intent).toEqual({
      kind: 'RecordRegistry.anchorRecord',
      payload: { args: [ref(1), ref(2), '3', ref(4), ref(5), ref(6)] },
    });
    const call = ledgerCallEncoder(deployment).encode(intent.kind, intent.payload);
    expect(call.to).toBe(deployment.contracts.RecordRegistry);
    const decoded = registry.decodeFunctionData('anchorRecord', call.data);
    expect(decoded.getValue('patientRef')).toBe(ref(1));
    expect(decoded.getValue('recordId')).toBe(ref(2));
    expect(decoded.getValue('version')).toBe(3n);
    expect(decoded.getValue('metadataHash')).toBe(ref(6));
  });

  it('puts two bytes32 values where their names say, whatever the order they are written in', () => {
    const attest = (args: LedgerCallArgs<'ParticipantRegistry', 'attestParticipant'>) =>
      ledgerIntent('ParticipantRegistry', 'attestParticipant', args);
    const a = attest({ participantRef: ref(1), attestationHash: ref(2), role: 1, validUntil: 9 });
    const b = attest({ attestationHash: ref(2), participantRef: ref(1), validUntil: 9, role: 1 });
    expect(b).toEqual(a);
    const data = ledgerCallEncoder(deployment).encode(a.kind, a.payload).data;
    const decoded = participants.decodeFunctionData('attestParticipant', data);
    expect(decoded.getValue('participantRef')).toBe(ref(1));
    expect(decoded.getValue('attestationHash')).toBe(ref(2));
  });

  it('derives the argument names and types of each write from its ABI', () => {
    expectTypeOf<LedgerCallArgs<'RecordRegistry', 'anchorRecord'>>().toEqualTypeOf<{
      readonly patientRef: string;
      readonly recordId: string;
      readonly version: number | bigint;
      readonly ciphertextHash: string;
      readonly authorRef: string;
      readonly metadataHash: string;
    }>();
    expectTypeOf<LedgerCallArgs<'EmergencyAccessLog', 'releaseShares'>>().toEqualTypeOf<{
      readonly sessionId: string;
      readonly serverRef: string;
      readonly requestId: string;
      readonly recordIds: readonly string[];
    }>();
    expectTypeOf<LedgerCallArgs<'EmergencyAccessLog', 'closeSession'>>().toEqualTypeOf<{
      readonly sessionId: string;
      readonly reason: number | bigint;
    }>();
  });

  it('takes arrays of bytes32 (releaseShares)', () => {
    const intent = ledgerIntent('EmergencyAccessLog', 'releaseShares', {
      sessionId: ref(1),
      serverRef: ref(2),
      requestId: ref(3),
      recordIds: [ref(4), ref(5)],
    });
    expect(intent.payload.args).toEqual([ref(1), ref(2), ref(3), [ref(4), ref(5)]]);
  });

  it('names missing and unknown arguments in a typed error', () => {
    const missing = caught(() =>
      // @ts-expect-error: role and validUntil are missing
      ledgerIntent('ParticipantRegistry', 'attestParticipant', {
        participantRef: B32,
        attestationHash: B32,
      }),
    );
    expect(isLedgerError(missing, LedgerErrorCode.InvalidIntent)).toBe(true);
    expect((missing as Error).message).toBe(
      'ParticipantRegistry.attestParticipant: missing role, validUntil (expected { participantRef, attestationHash, role, validUntil })',
    );
    expect((missing as { details: unknown }).details).toEqual({
      missing: 'role,validUntil',
      unknown: '',
    });

    const misspelt = caught(() =>
      ledgerIntent('ParticipantRegistry', 'revokeParticipant', {
        participantRef: B32,
        // @ts-expect-error: the parameter is reasonHash
        reason: B32,
      }),
    );
    expect(isLedgerError(misspelt, LedgerErrorCode.InvalidIntent)).toBe(true);
    expect((misspelt as Error).message).toBe(
      'ParticipantRegistry.revokeParticipant: missing reasonHash; unknown reason (expected { participantRef, reasonHash })',
    );
  });

  it('refuses, with a typed error, positional arguments, values that do not encode and calls that do not exist', () => {
    const attempts = [
      // @ts-expect-error: positional arguments are not accepted
      () => ledgerIntent('RecordRegistry', 'anchorRecord', [B32, B32, 1, B32, B32, B32]),
      () =>
        ledgerIntent('RecordRegistry', 'anchorRecord', {
          patientRef: '0x12',
          recordId: B32,
          version: 1,
          ciphertextHash: B32,
          authorRef: B32,
          metadataHash: B32,
        }),
      () =>
        ledgerIntent('RecordRegistry', 'anchorRecord', {
          patientRef: B32,
          recordId: B32,
          // @ts-expect-error: version is an integer
          version: B32,
          ciphertextHash: B32,
          authorRef: B32,
          metadataHash: B32,
        }),
      // @ts-expect-error: patientOf is a view, not a write
      () => ledgerIntent('RecordRegistry', 'patientOf', { recordId: B32 }),
      () => ledgerCallEncoder(deployment).encode('Nope.anchorRecord', { args: [] }),
      () => ledgerCallEncoder(deployment).encode('RecordRegistry.anchorRecord', { args: 'x' }),
    ];
    for (const attempt of attempts) {
      expect(isLedgerError(caught(attempt), LedgerErrorCode.InvalidIntent)).toBe(true);
    }
  });

  it('sends rows stored before named arguments existed ({ args: [...] } in ABI order)', () => {
    const stored = { args: [ref(1), ref(2), '7', ref(4), ref(5), ref(6)] };
    const call = ledgerCallEncoder(deployment).encode('RecordRegistry.anchorRecord', stored);
    expect(registry.decodeFunctionData('anchorRecord', call.data).getValue('version')).toBe(7n);
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
