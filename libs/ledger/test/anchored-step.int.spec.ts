import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isLedgerError, LedgerErrorCode, runAnchoredStep } from '../src/index.js';
import { setupLedgerEnv, SCHEMA, type LedgerEnv } from './ledger-env.js';
import { anchorIntent, anchoredRecordIds } from './outbox-helpers.js';
import { ref } from './ledger-env.js';

let env: LedgerEnv;

beforeAll(async () => {
  env = await setupLedgerEnv();
  await env.dataSource.query(`CREATE TABLE "${SCHEMA}".steps (id text PRIMARY KEY)`);
}, 120_000);

afterAll(async () => {
  await env?.close();
}, 60_000);

async function stepCommitted(id: string): Promise<boolean> {
  const rows = await env.dataSource.query<unknown[]>(
    `SELECT id FROM "${SCHEMA}".steps WHERE id = $1`,
    [id],
  );
  return rows.length === 1;
}

function step(id: string, n: number, timeoutMs: number, nudge?: () => void) {
  return runAnchoredStep({
    dataSource: env.dataSource,
    schema: SCHEMA,
    idempotencyKey: `step-${id}`,
    intent: anchorIntent(n),
    timeoutMs,
    nudge,
    work: async (manager) => {
      await manager.query(`INSERT INTO "${SCHEMA}".steps (id) VALUES ($1)`, [id]);
      return id;
    },
  });
}

describe('runAnchoredStep (fail closed)', () => {
  it('commits the state change once its anchor is on chain, with the receipt', async () => {
    const sender = env.newSender();
    sender.start();
    try {
      const { result, receipt } = await step('ok', 9_001, 20_000, () => sender.nudge());
      expect(result).toBe('ok');
      expect(await stepCommitted('ok')).toBe(true);
      const tx = await env.provider.getTransactionReceipt(receipt.txHash!);
      expect(tx?.blockNumber).toBe(receipt.blockNumber);
      expect(await anchoredRecordIds(env)).toContain(ref('record', 9_001));
    } finally {
      await sender.stop();
    }
  }, 60_000);

  it('fails with "ledger unavailable" within its timeout and commits nothing when the chain is unreachable', async () => {
    const sender = env.newSender();
    sender.start();
    await env.chain.pause();
    try {
      const started = Date.now();
      const error = await step('down', 9_002, 2_000, () => sender.nudge()).catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(isLedgerError(error, LedgerErrorCode.Unavailable)).toBe(true);
      expect((error as Error).message).toMatch(/ledger unavailable/);
      // Bounded by the timeout plus one database round trip, not by the chain: it did not hang.
      expect(elapsed).toBeLessThan(2_000 + 5_000);
      expect(await stepCommitted('down')).toBe(false);
    } finally {
      await env.chain.resume();
    }
    // A retry with the same idempotency key once the chain is back anchors it exactly once.
    const { receipt } = await step('down', 9_002, 20_000, () => sender.nudge());
    await sender.stop();
    expect(receipt.blockNumber).toBeGreaterThan(0);
    expect(await stepCommitted('down')).toBe(true);
    const ids = await anchoredRecordIds(env);
    expect(ids.filter((id) => id === ref('record', 9_002))).toHaveLength(1);
  }, 60_000);

  it('rolls the state change back when the work itself fails, and anchors nothing', async () => {
    const error = await runAnchoredStep({
      dataSource: env.dataSource,
      schema: SCHEMA,
      idempotencyKey: 'step-broken',
      intent: anchorIntent(9_003),
      timeoutMs: 1_000,
      work: async (manager) => {
        await manager.query(`INSERT INTO "${SCHEMA}".steps (id) VALUES ('broken')`);
        throw new Error('validation failed');
      },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('validation failed');
    expect(await stepCommitted('broken')).toBe(false);
    const rows = await env.dataSource.query<unknown[]>(
      `SELECT 1 FROM "${SCHEMA}".outbox WHERE idempotency_key = 'step-broken'`,
    );
    expect(rows).toHaveLength(0);
  }, 30_000);
});
