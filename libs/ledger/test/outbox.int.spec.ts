import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ZeroHash } from 'ethers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { connectContracts } from '../src/index.js';

import { ref, setupLedgerEnv, recordingLogger, SCHEMA, type LedgerEnv } from './ledger-env.js';
import {
  anchoredRecordIds,
  expectExactlyOnceInOrder,
  outboxRows,
  waitForConfirmed,
  waitUntil,
  writeConcurrently,
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

async function confirmedCount(): Promise<number> {
  const [row] = await env.dataSource.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM "${SCHEMA}".outbox WHERE status = 'confirmed'`,
  );
  return row!.n;
}

describe('outbox sender', () => {
  it('lands 1,000 rows written concurrently by 4 writers exactly once, in order', async () => {
    const sender = env.newSender();
    sender.start();
    await writeConcurrently(env.dataSource, 0, 1_000, 4);
    const rows = await waitForConfirmed(env.dataSource, 1_000);
    await sender.stop();

    expect(rows).toHaveLength(1_000);
    await expectExactlyOnceInOrder(env, rows, 4, expect);
  }, 180_000);

  it('lands every row exactly once when the chain freezes (SIGSTOP) mid-drain and comes back', async () => {
    const sender = env.newSender();
    const before = (
      await env.provider.getLogs({ address: env.deployment.contracts.RecordRegistry, fromBlock: 0 })
    ).length;
    sender.start();
    await writeConcurrently(env.dataSource, 2_000, 200, 2);
    await waitUntil('30 confirmations', async () => (await confirmedCount()) >= 30, 60_000);
    await env.chain.pause();
    // Answers that left anvil before it froze may still be recorded; after that, nothing moves.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const frozenAt = await confirmedCount();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await confirmedCount()).toBe(frozenAt);
    await env.chain.resume();

    const rows = await waitForConfirmed(env.dataSource, 200);
    await sender.stop();
    expect(frozenAt).toBeLessThan(200);
    const after = (
      await env.provider.getLogs({ address: env.deployment.contracts.RecordRegistry, fromBlock: 0 })
    ).length;
    expect(after - before).toBe(200);
    await expectNoDuplicateAnchors();
    expect(rows.every((row) => row.status === 'confirmed')).toBe(true);
  }, 180_000);

  it('lands every row once when the chain stops and restarts with its state kept', async () => {
    const sender = env.newSender();
    sender.start();
    await writeConcurrently(env.dataSource, 3_000, 200, 2);
    await waitUntil('30 confirmations', async () => (await confirmedCount()) >= 30, 60_000);
    await env.chain.restart();

    const rows = await waitForConfirmed(env.dataSource, 200);
    await sender.stop();
    expect(rows.every((row) => row.status === 'confirmed')).toBe(true);
    // anvil's state file keeps contract storage but can drop the logs of the last blocks before
    // it stopped, so "landed" is read from storage here; logs may not show a record twice.
    const registry = connectContracts(env.deployment, env.provider).RecordRegistry;
    for (let n = 3_000; n < 3_200; n++) {
      expect(await registry.patientOf(ref('record', n))).not.toBe(ZeroHash);
    }
    await expectNoDuplicateAnchors();
  }, 180_000);

  it('sends again the confirmed rows whose transactions the chain lost (it came back without its latest blocks)', async () => {
    const snapshot = (await env.provider.send('evm_snapshot', [])) as string;
    const first = env.newSender();
    first.start();
    await writeConcurrently(env.dataSource, 5_000, 20, 2);
    await waitForConfirmed(env.dataSource, 20, 60_000);
    await first.stop();
    expect(await env.provider.send('evm_revert', [snapshot])).toBe(true);
    const lost = (await anchoredRecordIds(env)).filter((id) => id === ref('record', 5_000));
    expect(lost).toEqual([]);

    const next = env.newSender();
    next.start();
    await waitUntil(
      'every row to be confirmed again',
      async () =>
        (await confirmedCount()) === 20 &&
        (await anchoredRecordIds(env)).includes(ref('record', 5_019)),
      60_000,
    );
    await next.stop();
    await expectExactlyOnceInOrder(env, await outboxRows(env.dataSource), 2, expect);
  }, 120_000);

  it('lets only one of two senders send, and the other takes over when the first is killed', async () => {
    const child = startSenderProcess();
    try {
      await waitUntil(
        'the child sender to lead',
        () => child.output.includes('LEADER'),
        30_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; its output: ${child.output}`);
      });
      const logger = recordingLogger();
      const follower = env.newSender({ logger, leaderRetryMs: 200 });
      follower.start();

      await writeConcurrently(env.dataSource, 4_000, 50, 2);
      await waitForConfirmed(env.dataSource, 50, 60_000);
      expect(follower.isLeader).toBe(false);
      expect(logger.lines.filter((line) => line.includes('is leader'))).toEqual([]);

      await writeConcurrently(env.dataSource, 4_050, 50, 2);
      child.process.kill('SIGKILL');
      const killedAt = Date.now();
      await waitUntil('the follower to take over', () => follower.isLeader, 15_000);
      const takeoverMs = Date.now() - killedAt;

      const rows = await waitForConfirmed(env.dataSource, 100, 60_000);
      await follower.stop();
      expect(takeoverMs).toBeLessThan(15_000);
      await expectExactlyOnceInOrder(env, rows, 2, expect);
    } finally {
      child.process.kill('SIGKILL');
    }
  }, 180_000);
});

async function expectNoDuplicateAnchors(): Promise<void> {
  const ids = await anchoredRecordIds(env);
  expect(new Set(ids).size).toBe(ids.length);
}

function startSenderProcess(): { process: ChildProcess; output: string } {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'sender-process.mjs');
  const child = spawn(process.execPath, [script], {
    env: {
      ...process.env,
      SENDER_CONFIG: JSON.stringify({
        databaseUrl: env.db.url,
        schema: SCHEMA,
        rpcUrl: env.chain.rpcUrl,
        chainId: env.chain.chainId,
        privateKey: env.writer.privateKey,
        deployment: env.deployment,
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const state = { process: child, output: '' };
  child.stdout.on('data', (chunk: Buffer) => (state.output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (state.output += chunk.toString()));
  return state;
}
