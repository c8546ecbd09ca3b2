import { ZeroHash } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RecordRegistry__factory, Roles } from '../src/index.js';
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

function anchor(
  patientRef: string,
  recordId: string,
  version: number,
  ciphertextHash = ref(),
  metadataHash = ref(),
) {
  const authorRef = ref();
  return ledger.anchorer
    .send(`RecordRegistry.anchorRecord (v${version === 1 ? '1' : 'n'})`, (c, o) =>
      c.records.anchorRecord(
        patientRef,
        recordId,
        version,
        ciphertextHash,
        authorRef,
        metadataHash,
        o,
      ),
    )
    .then((receipt) => ({ receipt, ciphertextHash, authorRef, metadataHash }));
}

/** One element of an anchorRecords batch, in anchorRecord's argument order. */
type Element = readonly [
  patientRef: string,
  recordId: string,
  version: number,
  ciphertextHash: string,
  authorRef: string,
  metadataHash: string,
];

function element(patientRef = ref(), recordId = ref(), version = 1): Element {
  return [patientRef, recordId, version, ref(), ref(), ref()];
}

/** anchorRecords' six arrays from a list of elements. */
function columns(elements: readonly Element[]) {
  return [0, 1, 2, 3, 4, 5].map((i) => elements.map((e) => e[i])) as [
    string[],
    string[],
    number[],
    string[],
    string[],
    string[],
  ];
}

function anchorBatch(elements: readonly Element[], label = `anchorRecords (${elements.length})`) {
  return ledger.anchorer.send(`RecordRegistry.${label}`, (c, o) =>
    c.records.anchorRecords(...columns(elements), o),
  );
}

/** What anchorRecords would do with `elements`, without sending it (reverts as it would). */
function tryBatch(elements: readonly Element[]) {
  return ledger.anchorer.contracts.records.anchorRecords.estimateGas(...columns(elements));
}

const anchoredEvent = ([
  patientRef,
  recordId,
  version,
  ciphertextHash,
  authorRef,
  metadataHash,
]: Element) => ({
  name: 'RecordAnchored',
  args: [patientRef, recordId, BigInt(version), ciphertextHash, authorRef, metadataHash],
});

describe('RecordRegistry', () => {
  it('anchors a record version and reads it back', async () => {
    const [patientRef, recordId] = [ref(), ref()];
    const { receipt, ciphertextHash, authorRef, metadataHash } = await anchor(
      patientRef,
      recordId,
      1,
    );

    expect(eventsOf(receipt, iface)).toEqual([
      {
        name: 'RecordAnchored',
        args: [patientRef, recordId, 1n, ciphertextHash, authorRef, metadataHash],
      },
    ]);
    expect([...(await ledger.contracts.records.anchor(recordId, 1))]).toEqual([
      ciphertextHash,
      patientRef,
      authorRef,
      metadataHash,
      BigInt(receipt.blockNumber),
    ]);
    const named = await ledger.contracts.records.anchor(recordId, 1);
    expect(named.metadataHash).toBe(metadataHash);
    expect(named.blockNumber).toBe(BigInt(receipt.blockNumber));
    expect(await ledger.contracts.records.patientOf(recordId)).toBe(patientRef);
  });

  it('reads a version never anchored as zeros', async () => {
    const recordId = ref();
    await anchor(ref(), recordId, 1);
    expect([...(await ledger.contracts.records.anchor(recordId, 2))]).toEqual([
      ZeroHash,
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
    await expectRevert(
      anchor(patientRef, recordId, 1, ref(), first.metadataHash),
      iface,
      'RecordAlreadyAnchored',
      [recordId, 1n],
    );
    const stored = await ledger.contracts.records.anchor(recordId, 1);
    expect(stored.ciphertextHash).toBe(first.ciphertextHash);
    expect(stored.metadataHash).toBe(first.metadataHash);
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
      ['patientRef', () => records.anchorRecord(ZeroHash, ref(), 1, ref(), ref(), ref())],
      ['recordId', () => records.anchorRecord(ref(), ZeroHash, 1, ref(), ref(), ref())],
      ['version', () => records.anchorRecord(ref(), ref(), 0, ref(), ref(), ref())],
      ['ciphertextHash', () => records.anchorRecord(ref(), ref(), 1, ZeroHash, ref(), ref())],
      ['authorRef', () => records.anchorRecord(ref(), ref(), 1, ref(), ZeroHash, ref())],
      ['metadataHash', () => records.anchorRecord(ref(), ref(), 1, ref(), ref(), ZeroHash)],
    ];
    for (const [field, call] of cases) {
      await expectRevert(call(), iface, 'ZeroValue', [field]);
    }
  });
});

describe('RecordRegistry.anchorRecords', () => {
  it('anchors every element with one RecordAnchored event each, in order', async () => {
    const patientRef = ref();
    const elements = [
      element(patientRef),
      element(),
      element(patientRef),
      element(patientRef, ref(), 3),
    ];
    const receipt = await anchorBatch(elements);

    expect(eventsOf(receipt, iface)).toEqual(elements.map(anchoredEvent));
    for (const [patient, recordId, version, ciphertextHash, authorRef, metadataHash] of elements) {
      expect([...(await ledger.contracts.records.anchor(recordId, version))]).toEqual([
        ciphertextHash,
        patient,
        authorRef,
        metadataHash,
        BigInt(receipt.blockNumber),
      ]);
    }
    const logs = await ledger.contracts.records.queryFilter(
      ledger.contracts.records.filters.RecordAnchored(patientRef),
      receipt.blockNumber,
      receipt.blockNumber,
    );
    expect(logs.map((log) => log.args.recordId)).toEqual([
      elements[0]![1],
      elements[2]![1],
      elements[3]![1],
    ]);
  });

  it('rejects arrays of different lengths', async () => {
    const elements = [element(), element()];
    for (const index of [1, 2, 3, 4, 5] as const) {
      const cols = columns(elements);
      cols[index].pop();
      await expectRevert(
        ledger.anchorer.contracts.records.anchorRecords(...cols),
        iface,
        'BatchLengthMismatch',
        [],
      );
    }
  });

  it('rejects an empty batch and one larger than MAX_BATCH, and takes exactly MAX_BATCH', async () => {
    expect(await ledger.contracts.records.MAX_BATCH()).toBe(128n);
    await expectRevert(tryBatch([]), iface, 'ZeroValue', ['patientRefs']);
    const full = Array.from({ length: 128 }, () => element());
    await expectRevert(tryBatch([...full, element()]), iface, 'BatchTooLarge', [129n, 128n]);

    const receipt = await anchorBatch(full, 'anchorRecords (MAX_BATCH)');
    expect(eventsOf(receipt, iface)).toHaveLength(128);
    // A full batch of new records must fit one transaction under EIP-7825's cap (2^24 gas).
    expect(receipt.gasUsed).toBeLessThan(2n ** 24n);
  });

  it('rejects a zero value in any element, naming the field, and anchors none of the batch', async () => {
    const good = element();
    const cases: [string, Element][] = [
      ['patientRef', [ZeroHash, ref(), 1, ref(), ref(), ref()]],
      ['recordId', [ref(), ZeroHash, 1, ref(), ref(), ref()]],
      ['version', [ref(), ref(), 0, ref(), ref(), ref()]],
      ['ciphertextHash', [ref(), ref(), 1, ZeroHash, ref(), ref()]],
      ['authorRef', [ref(), ref(), 1, ref(), ZeroHash, ref()]],
      ['metadataHash', [ref(), ref(), 1, ref(), ref(), ZeroHash]],
    ];
    for (const [field, bad] of cases) {
      await expectRevert(tryBatch([good, bad]), iface, 'ZeroValue', [field]);
    }
    expect(await ledger.contracts.records.patientOf(good[1])).toBe(ZeroHash);
  });

  it('skips, without an event, elements already anchored with the same values (a batch sent again)', async () => {
    const patientRef = ref();
    const first = [element(patientRef), element(patientRef), element()];
    const receipt = await anchorBatch(first);

    const again = await anchorBatch(first);
    expect(eventsOf(again, iface)).toEqual([]);

    // Some already anchored (one by anchorRecord), some new, one new element twice.
    const single = element(patientRef);
    await ledger.anchorer.send('RecordRegistry.anchorRecord (v1)', (c, o) =>
      c.records.anchorRecord(...single, o),
    );
    const fresh = [element(patientRef), element()];
    const mixed = await anchorBatch([
      first[1]!,
      fresh[0]!,
      single,
      fresh[1]!,
      fresh[1]!,
      first[0]!,
    ]);
    expect(eventsOf(mixed, iface)).toEqual(fresh.map(anchoredEvent));
    const [, recordId] = first[0]!;
    expect((await ledger.contracts.records.anchor(recordId, 1)).blockNumber).toBe(
      BigInt(receipt.blockNumber),
    );
  });

  it("reverts the whole batch on an element that conflicts with an anchored one, with anchorRecord's errors", async () => {
    const [patientRef, recordId] = [ref(), ref()];
    const anchored: Element = [patientRef, recordId, 1, ref(), ref(), ref()];
    await anchorBatch([anchored]);
    const [, , , hash, author, metadataHash] = anchored;
    const untouched = element();

    const conflicts: [string, Element, string, unknown[]][] = [
      [
        'another hash',
        [patientRef, recordId, 1, ref(), author, metadataHash],
        'RecordAlreadyAnchored',
        [recordId, 1n],
      ],
      [
        'another author',
        [patientRef, recordId, 1, hash, ref(), metadataHash],
        'RecordAlreadyAnchored',
        [recordId, 1n],
      ],
      [
        'another patient',
        [ref(), recordId, 1, hash, author, metadataHash],
        'RecordAlreadyAnchored',
        [recordId, 1n],
      ],
      [
        'another metadata hash',
        [patientRef, recordId, 1, hash, author, ref()],
        'RecordAlreadyAnchored',
        [recordId, 1n],
      ],
      [
        'another patient, new version',
        [ref(), recordId, 2, ref(), ref(), ref()],
        'RecordPatientMismatch',
        [recordId, patientRef],
      ],
    ];
    for (const [, conflict, error, args] of conflicts) {
      await expectRevert(tryBatch([untouched, conflict]), iface, error, args);
      await expectRevert(
        ledger.anchorer.contracts.records.anchorRecords(...columns([untouched, conflict])),
        iface,
        error,
        args,
      );
    }
    // Two different values for one (recordId, version) within a batch conflict as well.
    const twice = element();
    await expectRevert(
      tryBatch([twice, [twice[0], twice[1], 1, ref(), twice[4], twice[5]]]),
      iface,
      'RecordAlreadyAnchored',
      [twice[1], 1n],
    );
    expect(await ledger.contracts.records.patientOf(untouched[1])).toBe(ZeroHash);
    expect(await ledger.contracts.records.patientOf(twice[1])).toBe(ZeroHash);
    const stored = await ledger.contracts.records.anchor(recordId, 1);
    expect(stored.ciphertextHash).toBe(hash);
    expect(stored.metadataHash).toBe(metadataHash);
  });

  it('needs ANCHOR_ROLE', async () => {
    for (const sender of [ledger.stranger, ledger.attester]) {
      await expectRevert(
        sender.contracts.records.anchorRecords(...columns([element()])),
        iface,
        'AccessControlUnauthorizedAccount',
        [sender.address, Roles.ANCHOR_ROLE],
      );
    }
  });

  it('costs noticeably less gas per record than one anchorRecord each', async () => {
    const batch = Array.from({ length: 50 }, () => element());
    const batchGas = (await anchorBatch(batch)).gasUsed;
    let singlesGas = 0n;
    for (const single of Array.from({ length: 50 }, () => element())) {
      const receipt = await ledger.anchorer.send('RecordRegistry.anchorRecord (v1)', (c, o) =>
        c.records.anchorRecord(...single, o),
      );
      singlesGas += receipt.gasUsed;
    }
    // Each single pays the 21,000 base cost and the role check; the batch pays them once.
    expect(batchGas * 10n).toBeLessThan(singlesGas * 9n);
    console.log(
      `gas per record: anchorRecords(50) ${batchGas / 50n}, anchorRecord ${singlesGas / 50n}`,
    );
  });
});
