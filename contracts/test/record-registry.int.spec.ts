import { ZeroHash } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RecordRegistry__factory } from '../src/index.js';
import { type Ledger, eventsOf, expectRevert, ref, setUpLedger } from './fixture.js';

const iface = RecordRegistry__factory.createInterface();

let ledger: Ledger;

beforeAll(async () => {
  ledger = await setUpLedger();
});

afterAll(async () => {
  ledger?.gas.print('RecordRegistry');
  await ledger?.anvil.stop();
});

function anchor(patientRef: string, recordId: string, version: number, ciphertextHash = ref()) {
  const authorRef = ref();
  return ledger.anchorer
    .send(`RecordRegistry.anchorRecord (v${version === 1 ? '1' : 'n'})`, (c, o) =>
      c.records.anchorRecord(patientRef, recordId, version, ciphertextHash, authorRef, o),
    )
    .then((receipt) => ({ receipt, ciphertextHash, authorRef }));
}

describe('RecordRegistry', () => {
  it('anchors a record version and reads it back', async () => {
    const [patientRef, recordId] = [ref(), ref()];
    const { receipt, ciphertextHash, authorRef } = await anchor(patientRef, recordId, 1);

    expect(eventsOf(receipt, iface)).toEqual([
      {
        name: 'RecordAnchored',
        args: [patientRef, recordId, 1n, ciphertextHash, authorRef],
      },
    ]);
    expect([...(await ledger.contracts.records.anchor(recordId, 1))]).toEqual([
      ciphertextHash,
      patientRef,
      authorRef,
      BigInt(receipt.blockNumber),
    ]);
    expect(await ledger.contracts.records.patientOf(recordId)).toBe(patientRef);
  });

  it('reads a version never anchored as zeros', async () => {
    const recordId = ref();
    await anchor(ref(), recordId, 1);
    expect([...(await ledger.contracts.records.anchor(recordId, 2))]).toEqual([
      ZeroHash,
      ZeroHash,
      ZeroHash,
      0n,
    ]);
    expect(await ledger.contracts.records.patientOf(ref())).toBe(ZeroHash);
  });

  it('rejects anchoring the same (recordId, version) twice, even with another hash', async () => {
    const [patientRef, recordId] = [ref(), ref()];
    const first = await anchor(patientRef, recordId, 1);
    await expectRevert(anchor(patientRef, recordId, 1), iface, 'RecordAlreadyAnchored', [
      recordId,
      1n,
    ]);
    await expectRevert(
      anchor(patientRef, recordId, 1, first.ciphertextHash),
      iface,
      'RecordAlreadyAnchored',
      [recordId, 1n],
    );
    expect((await ledger.contracts.records.anchor(recordId, 1)).ciphertextHash).toBe(
      first.ciphertextHash,
    );
  });

  it('anchors later versions for the same patient only', async () => {
    const [patientRef, recordId] = [ref(), ref()];
    await anchor(patientRef, recordId, 1);
    const v2 = await anchor(patientRef, recordId, 2);
    expect((await ledger.contracts.records.anchor(recordId, 2)).ciphertextHash).toBe(
      v2.ciphertextHash,
    );
    await expectRevert(anchor(ref(), recordId, 3), iface, 'RecordPatientMismatch', [
      recordId,
      patientRef,
    ]);
  });

  it('rejects zero values', async () => {
    const { records } = ledger.anchorer.contracts;
    const cases: [string, () => Promise<unknown>][] = [
      ['patientRef', () => records.anchorRecord(ZeroHash, ref(), 1, ref(), ref())],
      ['recordId', () => records.anchorRecord(ref(), ZeroHash, 1, ref(), ref())],
      ['version', () => records.anchorRecord(ref(), ref(), 0, ref(), ref())],
      ['ciphertextHash', () => records.anchorRecord(ref(), ref(), 1, ZeroHash, ref())],
      ['authorRef', () => records.anchorRecord(ref(), ref(), 1, ref(), ZeroHash)],
    ];
    for (const [field, call] of cases) {
      await expectRevert(call(), iface, 'ZeroValue', [field]);
    }
  });
});
