import { contractArtifacts } from '@sec-health/contracts';
import { Interface } from 'ethers';
import type { DataSource } from 'typeorm';

import { enqueueLedgerIntent, ledgerIntent } from '../src/index.js';
import { ref, SCHEMA, type LedgerEnv } from './ledger-env.js';

export interface OutboxRowState {
  id: string;
  kind: string;
  status: string;
  nonce: string | null;
  txHash: string | null;
  blockNumber: string | null;
  idempotencyKey: string;
  note: string | null;
  lastError: string | null;
}

export function anchorIntent(n: number) {
  return ledgerIntent('RecordRegistry', 'anchorRecord', {
    patientRef: ref('patient', n % 7),
    recordId: ref('record', n),
    version: 1,
    ciphertextHash: ref('hash', n),
    authorRef: ref('author', 1),
    metadataHash: ref('metadata', n),
  });
}

/** Enqueues rows first..first+count-1, one transaction each, spread over `writers` concurrent writers. */
export async function writeConcurrently(
  dataSource: DataSource,
  first: number,
  count: number,
  writers: number,
): Promise<void> {
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let n = first + w; n < first + count; n += writers) {
        await dataSource.transaction((manager) =>
          enqueueLedgerIntent(manager, `anchor-${n}`, anchorIntent(n)),
        );
      }
    }),
  );
}

export async function outboxRows(dataSource: DataSource): Promise<OutboxRowState[]> {
  return dataSource.query(
    `SELECT id::text AS id, kind, status, nonce::text AS nonce, tx_hash AS "txHash",
            block_number::text AS "blockNumber", idempotency_key AS "idempotencyKey", note,
            last_error AS "lastError"
       FROM "${SCHEMA}".outbox ORDER BY outbox.id`,
  );
}

export async function waitForConfirmed(
  dataSource: DataSource,
  count: number,
  timeoutMs = 120_000,
): Promise<OutboxRowState[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await outboxRows(dataSource);
    const done = rows.filter((row) => row.status !== 'pending' && row.status !== 'sent');
    if (done.length >= count) return rows;
    if (Date.now() > deadline) {
      throw new Error(
        `only ${done.length} of ${count} outbox rows finished within ${timeoutMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const registry = new Interface(contractArtifacts.RecordRegistry.abi);

/** recordIds of every RecordAnchored event on chain, in chain order (duplicates kept). */
export async function anchoredRecordIds(env: LedgerEnv): Promise<string[]> {
  const logs = await env.provider.getLogs({
    address: env.deployment.contracts.RecordRegistry,
    topics: [registry.getEvent('RecordAnchored')!.topicHash],
    fromBlock: env.deployment.deployedAtBlock,
    toBlock: 'latest',
  });
  return logs.map((log) => registry.parseLog(log)!.args.getValue('recordId') as string);
}

/** Number of the row's record (its idempotency key is `anchor-<n>`). */
function rowNumber(row: OutboxRowState): number {
  return Number(row.idempotencyKey.split('-')[1]);
}

/**
 * Every row confirmed once; rows share a transaction (and its nonce) only when the sender packed
 * them, and the transactions' nonces are one gap-free sequence. Each writer's rows are on chain in
 * the order that writer committed them (writer w wrote rows n = first + w, first + w + writers,
 * ...), and each row's record is on chain exactly once.
 */
export async function expectExactlyOnceInOrder(
  env: LedgerEnv,
  rows: OutboxRowState[],
  writers: number,
  expect: (value: unknown) => { toEqual(expected: unknown): void },
): Promise<void> {
  expect(rows.filter((row) => row.status !== 'confirmed').map((row) => row.status)).toEqual([]);
  const nonceOfTx = new Map<string | null, string | null>();
  for (const row of rows) {
    expect(nonceOfTx.get(row.txHash) ?? row.nonce).toEqual(row.nonce);
    nonceOfTx.set(row.txHash, row.nonce);
  }
  const nonces = [...new Set(rows.map((row) => Number(row.nonce)))].sort((a, b) => a - b);
  const first = nonces[0]!;
  expect(nonces).toEqual(nonces.map((_, i) => first + i));
  expect(nonceOfTx.size).toEqual(nonces.length);

  const onChain = await anchoredRecordIds(env);
  for (let w = 0; w < writers; w++) {
    const own = rows
      .filter((row) => rowNumber(row) % writers === w)
      .sort((a, b) => rowNumber(a) - rowNumber(b));
    const ownNonces = own.map((row) => Number(row.nonce));
    expect(ownNonces).toEqual([...ownNonces].sort((a, b) => a - b));
    const ownBlocks = own.map((row) => Number(row.blockNumber));
    expect(ownBlocks).toEqual([...ownBlocks].sort((a, b) => a - b));
    // Within a block and a packed transaction too: the chain's event order.
    const ownRecords = own.map((row) => ref('record', rowNumber(row)));
    expect(onChain.filter((id) => ownRecords.includes(id))).toEqual(ownRecords);
  }

  const expected = rows.map((row) => ref('record', rowNumber(row)));
  const mine = onChain.filter((id) => expected.includes(id));
  expect(mine.length).toEqual(rows.length);
  expect(new Set(mine).size).toEqual(rows.length);
  expect([...mine].sort()).toEqual([...expected].sort());
}

export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
