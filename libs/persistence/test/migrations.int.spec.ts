import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isPersistenceError, PersistenceErrorCode } from '../src/errors.js';
import { runMigrations } from '../src/migrations.js';
import { databaseFixture } from './support.js';

describe('runMigrations', () => {
  let fx: Awaited<ReturnType<typeof databaseFixture>>;
  beforeAll(async () => {
    fx = await databaseFixture();
  });
  afterAll(() => fx.close());

  it('creates the schema, its migrations table and the outbox table', async () => {
    const ran = await runMigrations(fx.dataSource('svc_a'));
    expect(ran).toEqual(['CreateOutbox1700000000000']);

    const tables = await fx.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'svc_a' ORDER BY 1",
    );
    expect(tables.map((t) => t.table_name)).toEqual(['migrations', 'outbox']);

    const columns = await fx.query<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = 'svc_a' AND table_name = 'outbox' ORDER BY ordinal_position`,
    );
    expect(Object.fromEntries(columns.map((c) => [c.column_name, c.data_type]))).toEqual({
      id: 'bigint',
      idempotency_key: 'text',
      kind: 'text',
      payload: 'jsonb',
      status: 'text',
      attempts: 'integer',
      last_error: 'text',
      nonce: 'bigint',
      raw_tx: 'text',
      sender: 'text',
      tx_hash: 'text',
      block_number: 'bigint',
      note: 'text',
      created_at: 'timestamp with time zone',
      sent_at: 'timestamp with time zone',
      confirmed_at: 'timestamp with time zone',
      next_attempt_at: 'timestamp with time zone',
    });
    const nullable = columns.filter((c) => c.is_nullable === 'YES').map((c) => c.column_name);
    expect(nullable.sort()).toEqual(
      [
        'last_error',
        'nonce',
        'raw_tx',
        'sender',
        'tx_hash',
        'block_number',
        'note',
        'sent_at',
        'confirmed_at',
      ].sort(),
    );

    const indexes = await fx.query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE schemaname = 'svc_a' AND indexname = 'outbox_status_id_idx'",
    );
    expect(indexes[0]?.indexdef).toContain('(status, id)');

    await expect(
      fx.query(
        "INSERT INTO svc_a.outbox (idempotency_key, kind, payload, status) VALUES ('k', 'x', '{}', 'bogus')",
      ),
    ).rejects.toThrow(/outbox_status_check/);
    const [row] = await fx.query<{ status: string; attempts: number }>(
      "INSERT INTO svc_a.outbox (idempotency_key, kind, payload) VALUES ('k', 'x', '{}') RETURNING status, attempts",
    );
    expect(row).toEqual({ status: 'pending', attempts: 0 });
  });

  it('is idempotent: a second run does nothing', async () => {
    const ds = fx.dataSource('svc_b');
    expect(await runMigrations(ds)).toHaveLength(1);
    expect(await runMigrations(ds)).toEqual([]);
    expect(await runMigrations(fx.dataSource('svc_b'))).toEqual([]);
    const applied = await fx.query('SELECT name FROM svc_b.migrations');
    expect(applied).toEqual([{ name: 'CreateOutbox1700000000000' }]);
  });

  it('two instances migrating the same schema concurrently both succeed, once', async () => {
    const results = await Promise.all([
      runMigrations(fx.dataSource('svc_c')),
      runMigrations(fx.dataSource('svc_c')),
    ]);
    expect(results.map((r) => r.length).sort()).toEqual([0, 1]);
    expect(await fx.query('SELECT name FROM svc_c.migrations')).toHaveLength(1);
  });

  it('gives each schema its own outbox from the same migration class', async () => {
    await runMigrations(fx.dataSource('svc_d'));
    await runMigrations(fx.dataSource('svc_e'));
    const rows = await fx.query<{ table_schema: string }>(
      `SELECT table_schema FROM information_schema.tables
        WHERE table_name = 'outbox' AND table_schema IN ('svc_d', 'svc_e') ORDER BY 1`,
    );
    expect(rows.map((r) => r.table_schema)).toEqual(['svc_d', 'svc_e']);
  });

  it('waits for the lock and gives up with a typed error after lockTimeoutMs', async () => {
    const holder = fx.dataSource('svc_f');
    await runMigrations(holder);
    await holder.query("SELECT pg_advisory_lock(hashtext('sec-health:migrations:svc_f'))");
    try {
      const error = await runMigrations(fx.dataSource('svc_f'), { lockTimeoutMs: 300 }).catch(
        (e: unknown) => e,
      );
      expect(isPersistenceError(error, PersistenceErrorCode.MigrationLockTimeout)).toBe(true);
    } finally {
      await holder.query('SELECT pg_advisory_unlock_all()');
    }
  });

  it('a failing migration is rolled back and named', async () => {
    class Broken1800000000000 {
      readonly name = 'Broken1800000000000';
      async up(runner: { query(sql: string): Promise<unknown> }): Promise<void> {
        await runner.query('CREATE TABLE half_done (v int)');
        await runner.query('SELECT no_such_function()');
      }
      async down(): Promise<void> {}
    }
    const ds = fx.dataSource('svc_g', { migrations: [Broken1800000000000], logging: false });
    const error = await runMigrations(ds).catch((e: unknown) => e);
    expect(isPersistenceError(error, PersistenceErrorCode.MigrationFailed)).toBe(true);
    expect((error as Error).message).toContain('Broken1800000000000');
    expect(await fx.query("SELECT 1 FROM pg_tables WHERE tablename = 'half_done'")).toEqual([]);
  });
});
