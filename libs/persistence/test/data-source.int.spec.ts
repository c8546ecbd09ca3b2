import { freePort } from '@sec-health/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createServiceDataSource, initializeDataSource } from '../src/data-source.js';
import { isPersistenceError, PersistenceErrorCode } from '../src/errors.js';
import { databaseFixture } from './support.js';

const base = { entities: [], migrations: [] };

describe('initializeDataSource', () => {
  let fx: Awaited<ReturnType<typeof databaseFixture>>;
  beforeAll(async () => {
    fx = await databaseFixture();
  });
  afterAll(() => fx.close());

  it('connects, creates the schema if missing, and sets search_path to it', async () => {
    const ds = fx.dataSource('fresh_schema');
    await initializeDataSource(ds);
    await initializeDataSource(ds);
    const [row] = await ds.query<{ path: string; exists: boolean }[]>(
      "SELECT current_setting('search_path') AS path, EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'fresh_schema') AS exists",
    );
    expect(row).toEqual({ path: 'fresh_schema,public', exists: true });
    await ds.query('CREATE TABLE unqualified (v int)');
    expect(
      await fx.query(
        "SELECT 1 FROM pg_tables WHERE schemaname = 'fresh_schema' AND tablename = 'unqualified'",
      ),
    ).toHaveLength(1);
  });

  it('reports an unreachable server as DATABASE_UNAVAILABLE, naming it without the password', async () => {
    const port = await freePort();
    const ds = createServiceDataSource({
      ...base,
      url: `postgres://postgres:hunter2@127.0.0.1:${port}/app`,
      schema: 'svc',
      connectTimeoutMs: 1_000,
    });
    const error = await initializeDataSource(ds).catch((e: unknown) => e);
    expect(isPersistenceError(error, PersistenceErrorCode.DatabaseUnavailable)).toBe(true);
    expect((error as Error).message).toContain(`127.0.0.1:${port}/app`);
    expect((error as Error).message).not.toContain('hunter2');
    expect(ds.isInitialized).toBe(false);
  });

  it('reports a missing database as DATABASE_NOT_FOUND', async () => {
    const url = new URL(fx.db.url);
    url.pathname = '/no_such_database_here';
    url.password = 'hunter2';
    const ds = createServiceDataSource({ ...base, url: url.toString(), schema: 'svc' });
    const error = await initializeDataSource(ds).catch((e: unknown) => e);
    expect(isPersistenceError(error, PersistenceErrorCode.DatabaseNotFound)).toBe(true);
    expect((error as Error).message).toContain('no_such_database_here');
    expect((error as Error).message).not.toContain('hunter2');
  });
});
