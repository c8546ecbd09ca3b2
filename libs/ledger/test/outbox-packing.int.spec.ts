import { contractArtifacts } from '@sec-health/contracts';
import { outboxSenderSql } from '@sec-health/persistence';
import { Interface } from 'ethers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  connectContracts,
  enqueueLedgerIntent,
  grantRole,
  ledgerCallEncoder,
  ledgerIntent,
  type LedgerIntent,
} from '../src/index.js';
import { ref, SCHEMA, setupLedgerEnv, type LedgerEnv } from './ledger-env.js';
import {
  anchoredRecordIds,
  anchorIntent,
  outboxRows,
  waitForConfirmed,
  waitUntil,
  type OutboxRowState,
} from './outbox-helpers.js';

let env: LedgerEnv;

beforeAll(async () => {
  env = await setupLedgerEnv();
}, 120_000);

afterAll(async () => {
  await env?.close();
}, 60_000);

beforeEach(async () => {
  await env.dataSource.query(`TRUNCATE "${SCHEMA}".outbox`);
});

/** Enqueues every intent in ONE database transaction, so the sender finds them all at once. */
async function enqueueAll(intents: readonly (readonly [key: string, intent: LedgerIntent])[]) {
  await env.dataSource.transaction(async (manager) => {
    for (const [key, intent] of intents) await enqueueLedgerIntent(manager, key, intent);
  });
}

function anchors(first: number, count: number): [string, LedgerIntent][] {
  return Array.from({ length: count }, (_, i) => [`anchor-${first + i}`, anchorIntent(first + i)]);
}

/** Sends what is enqueued with a fresh sender, waits until `count` rows are done, stops it. */
async function drain(count: number, options: { maxBatch?: number } = {}) {
  const sender = env.newSender(options);
  sender.start();
  try {
    return await waitForConfirmed(env.dataSource, count, 60_000);
  } finally {
    await sender.stop();
  }
}

function consent(n: number): [string, LedgerIntent] {
  return [
    `consent-${n}`,
    ledgerIntent('ConsentLedger', 'grantConsent', {
      patientRef: ref('patient', n),
      consentId: ref('consent', n),
      consentHash: ref('consent-hash', n),
      granteeRef: ref('grantee', n),
    }),
  ];
}

/** Runs `send` with blocks mined by hand (anvil's automine off), then mines what it sent. */
async function withBlocksHeld<T>(send: () => Promise<T>): Promise<T> {
  await env.provider.send('evm_setAutomine', [false]);
  try {
    return await send();
  } finally {
    await env.provider.send('evm_setAutomine', [true]);
    await env.provider.send('evm_mine', []);
  }
}

async function allRows(status: string): Promise<boolean> {
  return (await outboxRows(env.dataSource)).every((row) => row.status === status);
}

function distinctTransactions(rows: readonly OutboxRowState[]): string[] {
  return [...new Set(rows.map((row) => row.txHash!))];
}

/** How many RecordAnchored events the chain holds for each of `recordIds`. */
async function eventsPerRecord(recordIds: readonly string[]): Promise<number[]> {
  const onChain = await anchoredRecordIds(env);
  return recordIds.map((id) => onChain.filter((anchored) => anchored === id).length);
}

describe('outbox sender packing anchorRecord rows into anchorRecords', () => {
  it('packs no more rows than the contract takes', async () => {
    const registry = connectContracts(env.deployment, env.provider).RecordRegistry;
    const limit = ledgerCallEncoder(env.deployment).packLimit('RecordRegistry.anchorRecord');
    expect(BigInt(limit)).toBe(await registry.MAX_BATCH());
  });

  it('settles 250 rows enqueued at once with a few transactions and one event per row, in order', async () => {
    await enqueueAll(anchors(1_000, 250));
    const rows = await drain(250);

    expect(rows.filter((row) => row.status !== 'confirmed')).toEqual([]);
    const transactions = distinctTransactions(rows);
    expect(transactions.length).toBeLessThan(10);
    for (const hash of transactions) {
      const receipt = await env.provider.getTransactionReceipt(hash);
      const packed = rows.filter((row) => row.txHash === hash);
      expect(packed.map((row) => Number(row.blockNumber))).toEqual(
        packed.map(() => receipt!.blockNumber),
      );
      expect(packed.length).toBeLessThanOrEqual(100);
    }
    const recordIds = rows.map((_, i) => ref('record', 1_000 + i));
    expect(await eventsPerRecord(recordIds)).toEqual(recordIds.map(() => 1));
    const onChain = (await anchoredRecordIds(env)).filter((id) => recordIds.includes(id));
    expect(onChain).toEqual(recordIds);
  }, 120_000);

  const conflicts = [
    [
      'another hash for an anchored (recordId, version)',
      (n: number) =>
        ledgerIntent('RecordRegistry', 'anchorRecord', {
          patientRef: ref('patient', n % 7),
          recordId: ref('record', n),
          version: 1,
          ciphertextHash: ref('other-hash', n),
          authorRef: ref('author', 1),
          metadataHash: ref('metadata', n),
        }),
    ],
    [
      'another metadata hash for an anchored (recordId, version)',
      (n: number) =>
        ledgerIntent('RecordRegistry', 'anchorRecord', {
          patientRef: ref('patient', n % 7),
          recordId: ref('record', n),
          version: 1,
          ciphertextHash: ref('hash', n),
          authorRef: ref('author', 1),
          metadataHash: ref('other-metadata', n),
        }),
    ],
    [
      'a new version of an anchored record for another patient',
      (n: number) =>
        ledgerIntent('RecordRegistry', 'anchorRecord', {
          patientRef: ref('other-patient', n),
          recordId: ref('record', n),
          version: 2,
          ciphertextHash: ref('other-hash', n),
          authorRef: ref('author', 1),
          metadataHash: ref('other-metadata', n),
        }),
    ],
  ] as const;

  it.each(conflicts.map(([name, conflict], i) => [name, conflict, 2_000 + i * 100] as const))(
    'lands the other rows of a pack holding %s, and ends that row as it ends alone',
    async (_case, conflict, first) => {
      await enqueueAll([[`anchor-${first}`, anchorIntent(first)]]);
      await drain(1);
      await env.dataSource.query(`TRUNCATE "${SCHEMA}".outbox`);

      const batch = anchors(first + 1, 20);
      batch.splice(7, 0, ['conflict', conflict(first)]);
      await enqueueAll(batch);
      const rows = await drain(21);
      const bad = rows.find((row) => row.idempotencyKey === 'conflict')!;
      const good = rows.filter((row) => row !== bad);
      expect(good.map((row) => row.status)).toEqual(good.map(() => 'confirmed'));
      expect(good.every((row) => row.txHash !== null)).toBe(true);
      const goodRecords = good.map((row) => ref('record', Number(row.idempotencyKey.slice(7))));
      expect(await eventsPerRecord([...goodRecords, ref('record', first)])).toEqual([
        ...goodRecords.map(() => 1),
        1,
      ]);

      // The same row alone, as the sender sent such a row before packing existed.
      await env.dataSource.query(`TRUNCATE "${SCHEMA}".outbox`);
      await enqueueAll([['conflict-alone', conflict(first)]]);
      const [alone] = await drain(1, { maxBatch: 1 });
      // A reverted transaction of its own, when the row had one, is kept on the row: compare
      // whether there is one, not its hash.
      const outcome = (row: OutboxRowState) => ({
        status: row.status,
        note: row.note,
        lastError: row.lastError,
        withTransaction: row.txHash !== null,
      });
      expect(outcome(bad)).toEqual(outcome(alone!));
      expect(['confirmed', 'failed']).toContain(bad.status);
      if (bad.status === 'confirmed') {
        expect(bad.note).toBe('already anchored (RecordAlreadyAnchored)');
      } else {
        expect(bad.lastError).toBe('reverted: RecordPatientMismatch');
      }
    },
    120_000,
  );

  it('keeps rows of other kinds in their place between packs', async () => {
    const [a, c] = [(n: number) => anchors(n, 1)[0]!, consent];
    const plan = [a(3_000), a(3_001), a(3_002), c(1), a(3_003), a(3_004), c(2), a(3_005)];
    await enqueueAll(plan);
    const rows = await drain(plan.length);

    expect(rows.map((row) => row.status)).toEqual(plan.map(() => 'confirmed'));
    const groups = rows.map((row) => distinctTransactions(rows).indexOf(row.txHash!));
    expect(groups).toEqual([0, 0, 0, 1, 2, 2, 3, 4]);
    const nonces = distinctTransactions(rows).map(
      (hash) => rows.find((row) => row.txHash === hash)!.nonce,
    );
    expect(nonces.map(Number)).toEqual(nonces.map((_, i) => Number(nonces[0]) + i));

    const [registry, consents] = [
      new Interface(contractArtifacts.RecordRegistry.abi),
      new Interface(contractArtifacts.ConsentLedger.abi),
    ];
    const logs = await env.provider.getLogs({
      address: [env.deployment.contracts.RecordRegistry, env.deployment.contracts.ConsentLedger],
      topics: [
        [
          registry.getEvent('RecordAnchored')!.topicHash,
          consents.getEvent('ConsentGranted')!.topicHash,
        ],
      ],
      fromBlock: Number(rows[0]!.blockNumber),
      toBlock: 'latest',
    });
    const onChain = logs.map((log) => {
      const parsed = registry.parseLog(log) ?? consents.parseLog(log);
      return parsed!.name === 'RecordAnchored'
        ? `anchor-${parsed!.args.getValue('recordId') as string}`
        : `consent-${parsed!.args.getValue('consentId') as string}`;
    });
    expect(onChain).toEqual([
      ...[3_000, 3_001, 3_002].map((n) => `anchor-${ref('record', n)}`),
      `consent-${ref('consent', 1)}`,
      ...[3_003, 3_004].map((n) => `anchor-${ref('record', n)}`),
      `consent-${ref('consent', 2)}`,
      `anchor-${ref('record', 3_005)}`,
    ]);
  }, 60_000);

  it('lands a pack once when its sender stops before the receipt, and skips it when sent again', async () => {
    const batch = anchors(4_000, 30);
    const recordIds = batch.map((_, i) => ref('record', 4_000 + i));
    await enqueueAll(batch);

    // Blocks are mined by hand: the pack is signed, recorded and broadcast, but not mined yet.
    const packHash = await withBlocksHeld(async () => {
      const first = env.newSender({ receiptTimeoutMs: 30_000 });
      first.start();
      await waitUntil('the pack to be sent', () => allRows('sent'), 30_000);
      await first.stop();
      const sent = await outboxRows(env.dataSource);
      expect(sent.map((row) => row.status)).toEqual(batch.map(() => 'sent'));
      expect(distinctTransactions(sent)).toHaveLength(1);
      expect(await eventsPerRecord(recordIds)).toEqual(recordIds.map(() => 0));
      return sent[0]!.txHash!;
    });

    // A new sender finds the pack in flight and settles every row with its receipt.
    const next = env.newSender();
    next.start();
    try {
      let rows = await waitForConfirmed(env.dataSource, 30, 60_000);
      expect(rows.map((row) => [row.status, row.txHash])).toEqual(
        batch.map(() => ['confirmed', packHash]),
      );
      expect(await eventsPerRecord(recordIds)).toEqual(recordIds.map(() => 1));

      // As if the receipt had been lost: the rows go back to pending and are packed again.
      for (const row of rows) await outboxSenderSql.markRolledBack(env.dataSource, SCHEMA, row.id);
      next.nudge();
      await waitUntil(
        'the rows to be sent again and confirmed',
        async () =>
          (await outboxRows(env.dataSource)).every(
            (row) => row.status === 'confirmed' && row.txHash !== packHash,
          ),
        60_000,
      );
      rows = await outboxRows(env.dataSource);
      expect(distinctTransactions(rows)).toHaveLength(1);
      const again = await env.provider.getTransactionReceipt(rows[0]!.txHash!);
      expect(again?.status).toBe(1);
      expect(again?.logs).toEqual([]);
      expect(await eventsPerRecord(recordIds)).toEqual(recordIds.map(() => 1));
    } finally {
      await next.stop();
    }
  }, 120_000);

  it('sends again the good rows of a pack that reverted when mined (another writer anchored one first)', async () => {
    const [patientRef, recordId] = [ref('patient', 5_000), ref('record', 5_000)];
    const mine = ledgerIntent('RecordRegistry', 'anchorRecord', {
      patientRef,
      recordId,
      version: 1,
      ciphertextHash: ref('hash', 5_000),
      authorRef: ref('author', 1),
      metadataHash: ref('metadata', 5_000),
    });
    const plan = [...anchors(5_001, 2), ['conflict', mine] as [string, LedgerIntent]];
    plan.push(...anchors(5_003, 2));
    await enqueueAll(plan);
    await grantRole(env.deployment, env.admin, 'ANCHOR_ROLE', env.admin.address);
    const other = connectContracts(env.deployment, env.admin).RecordRegistry;
    const sender = env.newSender({ receiptTimeoutMs: 30_000 });
    try {
      const theirs = await withBlocksHeld(async () => {
        sender.start();
        await waitUntil('the pack to be sent', () => allRows('sent'), 30_000);
        // Mined first in the same block: it pays a higher tip. Its gas limit is given: anvil
        // estimates on the pending state, where the pack has anchored the record already.
        return other.anchorRecord(
          patientRef,
          recordId,
          1,
          ref('their-hash', 1),
          ref('them', 1),
          ref('their-metadata', 1),
          {
            maxPriorityFeePerGas: 100_000_000_000n,
            maxFeePerGas: 200_000_000_000n,
            gasLimit: 300_000n,
          },
        );
      });
      expect((await theirs.wait())?.status).toBe(1);
      const rows = await waitForConfirmed(env.dataSource, plan.length, 60_000);

      const byKey = new Map(rows.map((row) => [row.idempotencyKey, row]));
      const reverted = byKey.get('conflict')!.txHash!;
      expect((await env.provider.getTransactionReceipt(reverted))?.status).toBe(0);
      expect(rows.map((row) => row.status)).toEqual(plan.map(() => 'confirmed'));
      expect(byKey.get('conflict')!.note).toBe('already anchored (RecordAlreadyAnchored)');
      const good = rows.filter((row) => row.idempotencyKey !== 'conflict');
      expect(distinctTransactions(good)).toHaveLength(1);
      expect(good[0]!.txHash).not.toBe(reverted);
      const recordIds = [5_000, 5_001, 5_002, 5_003, 5_004].map((n) => ref('record', n));
      expect(await eventsPerRecord(recordIds)).toEqual(recordIds.map(() => 1));
    } finally {
      await sender.stop();
    }
  }, 120_000);
});
