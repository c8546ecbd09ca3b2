import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isPersistenceError, PersistenceErrorCode } from '../src/errors.js';
import { runMigrations } from '../src/migrations.js';
import { enqueueOutbox } from '../src/outbox/enqueue.js';
import { OutboxEntry } from '../src/outbox/outbox.entity.js';
import { outboxChannel } from '../src/outbox/outbox-table.js';
import { databaseFixture, listen } from './support.js';

describe('enqueueOutbox', () => {
  let fx: Awaited<ReturnType<typeof databaseFixture>>;
  let ds: DataSource;
  beforeAll(async () => {
    fx = await databaseFixture();
    ds = fx.dataSource('svc');
    await runMigrations(ds);
  });
  afterAll(() => fx.close());

  it('inserts a pending row and returns its id; the entity maps every column', async () => {
    const id = await ds.transaction((m) =>
      enqueueOutbox(m, { idempotencyKey: 'k-1', kind: 'record.anchored', payload: { a: 1 } }),
    );
    expect(id).toMatch(/^\d+$/);
    const row = await ds.getRepository(OutboxEntry).findOneByOrFail({ id });
    expect(row).toMatchObject({
      idempotencyKey: 'k-1',
      kind: 'record.anchored',
      payload: { a: 1 },
      status: 'pending',
      attempts: 0,
      nonce: null,
      rawTx: null,
      sender: null,
      txHash: null,
      blockNumber: null,
      note: null,
    });
    expect(row.createdAt).toBeInstanceOf(Date);
  });

  it('is idempotent on the key: a repeat returns the same id and adds no row', async () => {
    const entry = { idempotencyKey: 'k-2', kind: 'x', payload: { b: [1, 2] } };
    const first = await ds.transaction((m) => enqueueOutbox(m, entry));
    const second = await ds.transaction((m) => enqueueOutbox(m, entry));
    const [third, fourth] = await ds.transaction(async (m) => [
      await enqueueOutbox(m, entry),
      await enqueueOutbox(m, entry),
    ]);
    expect([second, third, fourth]).toEqual([first, first, first]);
    const rows = await fx.query("SELECT id FROM svc.outbox WHERE idempotency_key = 'k-2'");
    expect(rows).toHaveLength(1);
  });

  it('refuses a reused key with a different payload, and calls outside a transaction', async () => {
    await ds.transaction((m) =>
      enqueueOutbox(m, { idempotencyKey: 'k-3', kind: 'x', payload: {} }),
    );
    const conflict = await ds
      .transaction((m) =>
        enqueueOutbox(m, { idempotencyKey: 'k-3', kind: 'x', payload: { other: true } }),
      )
      .catch((e: unknown) => e);
    expect(isPersistenceError(conflict, PersistenceErrorCode.IdempotencyConflict)).toBe(true);

    const outside = await enqueueOutbox(ds.manager, {
      idempotencyKey: 'k-4',
      kind: 'x',
      payload: {},
    }).catch((e: unknown) => e);
    expect(isPersistenceError(outside, PersistenceErrorCode.NotInTransaction)).toBe(true);
  });

  it('notifies outbox_new_<schema> on commit only, never on rollback', async () => {
    expect(outboxChannel('svc', 'new')).toBe('outbox_new_svc');
    const listener = await listen(fx.db.url, 'outbox_new_svc');
    try {
      await ds
        .transaction(async (m) => {
          await enqueueOutbox(m, { idempotencyKey: 'k-rolled-back', kind: 'x', payload: {} });
          throw new Error('roll back');
        })
        .catch(() => undefined);

      await ds.transaction(async (m) => {
        await enqueueOutbox(m, { idempotencyKey: 'k-committed', kind: 'x', payload: {} });
        await listener.sync();
        expect(listener.received).toEqual([]); // not yet committed
      });
      await listener.sync();
      expect(listener.received).toEqual(['outbox_new_svc']);
      expect(
        await fx.query("SELECT 1 FROM svc.outbox WHERE idempotency_key = 'k-rolled-back'"),
      ).toEqual([]);
    } finally {
      await listener.close();
    }
  });

  it('writes to the outbox of its own data source schema', async () => {
    const other = fx.dataSource('svc_other');
    await runMigrations(other);
    await other.transaction((m) =>
      enqueueOutbox(m, { idempotencyKey: 'k-other', kind: 'x', payload: {} }),
    );
    expect(
      await fx.query("SELECT 1 FROM svc_other.outbox WHERE idempotency_key = 'k-other'"),
    ).toHaveLength(1);
    expect(await fx.query("SELECT 1 FROM svc.outbox WHERE idempotency_key = 'k-other'")).toEqual(
      [],
    );
  });

  it('rejects malformed entries with a typed error', async () => {
    const error = await ds
      .transaction((m) => enqueueOutbox(m, { idempotencyKey: '', kind: 'x', payload: {} }))
      .catch((e: unknown) => e);
    expect(isPersistenceError(error, PersistenceErrorCode.InvalidOutboxEntry)).toBe(true);
  });
});
