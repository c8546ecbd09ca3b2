import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isPersistenceError, PersistenceErrorCode } from '../src/errors.js';
import { runMigrations } from '../src/migrations.js';
import { anchorsOf, cancelIfUnsent, readAnchorOutcome } from '../src/outbox/anchors.js';
import { enqueueOutbox, enqueueOutboxNow } from '../src/outbox/enqueue.js';
import * as senderSql from '../src/outbox/sender-sql.js';
import { databaseFixture, listen } from './support.js';

const SCHEMA = 'svc_anchors';

describe('the outbox read and written outside a transaction', () => {
  let fx: Awaited<ReturnType<typeof databaseFixture>>;
  let ds: DataSource;
  beforeAll(async () => {
    fx = await databaseFixture();
    ds = fx.dataSource(SCHEMA);
    await runMigrations(ds);
  });
  afterAll(() => fx.close());

  const now = (key: string, payload: Record<string, string> = { a: key }) =>
    enqueueOutboxNow(ds, SCHEMA, { idempotencyKey: key, kind: 'x', payload });

  const statusOf = async (id: string) =>
    (
      await fx.query<{ status: string; last_error: string | null }>(
        `SELECT status, last_error FROM ${SCHEMA}.outbox WHERE id = $1`,
        [id],
      )
    )[0];

  it('enqueueOutboxNow commits at once, notifies the sender and is idempotent on the key', async () => {
    const listener = await listen(fx.db.url, `outbox_new_${SCHEMA}`);
    try {
      const id = await now('now-1');
      await listener.sync();
      expect(listener.received).toEqual([`outbox_new_${SCHEMA}`]);
      expect(await statusOf(id)).toEqual({ status: 'pending', last_error: null });
      expect(await now('now-1')).toBe(id);
    } finally {
      await listener.close();
    }
  });

  it('revives a cancelled row of the same intent, and refuses a different intent without touching its row', async () => {
    const id = await now('now-2');
    expect(await cancelIfUnsent(ds, SCHEMA, id, 'timed out')).toBe(true);
    expect(await cancelIfUnsent(ds, SCHEMA, id, 'timed out')).toBe(false);
    expect(await statusOf(id)).toEqual({ status: 'cancelled', last_error: 'timed out' });

    const conflict = await now('now-2', { other: 'intent' }).catch((e: unknown) => e);
    expect(isPersistenceError(conflict, PersistenceErrorCode.IdempotencyConflict)).toBe(true);
    expect(await statusOf(id)).toEqual({ status: 'cancelled', last_error: 'timed out' });

    expect(await now('now-2')).toBe(id);
    expect(await statusOf(id)).toEqual({ status: 'pending', last_error: null });
  });

  it('shares the key space with the in-transaction enqueue', async () => {
    const id = await ds.transaction((m) =>
      enqueueOutbox(m, { idempotencyKey: 'both', kind: 'x', payload: { a: 'both' } }),
    );
    expect(await now('both')).toBe(id);
  });

  it('rejects a malformed entry before touching the database', async () => {
    const error = await enqueueOutboxNow(ds, SCHEMA, {
      idempotencyKey: 'k'.repeat(201),
      kind: 'x',
      payload: {},
    }).catch((e: unknown) => e);
    expect(isPersistenceError(error, PersistenceErrorCode.InvalidOutboxEntry)).toBe(true);
    expect((error as Error).message).toMatch(/^idempotencyKey: /);
  });

  it('anchorsOf reports sent as pending and cancelled as failed, with the receipt when confirmed', async () => {
    const [pending, sent, confirmed, failed, cancelled] = await Promise.all(
      ['a-pending', 'a-sent', 'a-confirmed', 'a-failed', 'a-cancelled'].map((key) => now(key)),
    );
    const signed = { nonce: 1, txHash: `0x${'ab'.repeat(32)}`, rawTx: '0x02', sender: '0x01' };
    expect(await senderSql.markSent(ds, SCHEMA, sent!, signed)).toBe(true);
    expect(await senderSql.markSent(ds, SCHEMA, confirmed!, { ...signed, nonce: 2 })).toBe(true);
    await senderSql.markConfirmed(ds, SCHEMA, confirmed!, {
      txHash: `0x${'cd'.repeat(32)}`,
      blockNumber: 42,
    });
    await senderSql.markFailed(ds, SCHEMA, failed!, 'reverted: ZeroValue');
    await cancelIfUnsent(ds, SCHEMA, cancelled!, 'timed out');

    const anchors = await anchorsOf(ds, SCHEMA, [
      pending!,
      sent!,
      confirmed!,
      failed!,
      cancelled!,
      '999999',
    ]);
    expect(Object.fromEntries(anchors)).toEqual({
      [pending!]: { status: 'pending', txHash: null, blockNumber: null },
      [sent!]: { status: 'pending', txHash: signed.txHash, blockNumber: null },
      [confirmed!]: { status: 'confirmed', txHash: `0x${'cd'.repeat(32)}`, blockNumber: 42 },
      [failed!]: { status: 'failed', txHash: null, blockNumber: null },
      [cancelled!]: { status: 'failed', txHash: null, blockNumber: null },
    });
    expect(await anchorsOf(ds, SCHEMA, [])).toEqual(new Map());

    expect(await readAnchorOutcome(ds, SCHEMA, failed!)).toEqual({
      anchor: { status: 'failed', txHash: null, blockNumber: null },
      lastError: 'reverted: ZeroValue',
    });
    expect(await readAnchorOutcome(ds, SCHEMA, '999999')).toBeUndefined();
  });

  it('a row cancelled by its waiter can no longer be marked sent', async () => {
    const id = await now('cancel-then-send');
    await cancelIfUnsent(ds, SCHEMA, id, 'timed out');
    const signed = { nonce: 9, txHash: '0x09', rawTx: '0x02', sender: '0x01' };
    expect(await senderSql.markSent(ds, SCHEMA, id, signed)).toBe(false);
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    const error = await anchorsOf(ds, 'svc"; DROP TABLE x; --', ['1']).catch((e: unknown) => e);
    expect(isPersistenceError(error, PersistenceErrorCode.InvalidConfig)).toBe(true);
  });
});
