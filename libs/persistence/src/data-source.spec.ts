import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { databaseFixture } from '../test/support.js';
import {
  createServiceDataSource,
  initializeDataSource,
  serviceDataSourceOptions,
} from './data-source.js';
import { isPersistenceError, PersistenceErrorCode } from './errors.js';
import { SnakeNamingStrategy } from './naming-strategy.js';

const base = { entities: [], migrations: [] };

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('serviceDataSourceOptions', () => {
  it('never synchronizes, keeps migrations in the schema and names in snake_case', () => {
    const options = serviceDataSourceOptions({
      ...base,
      url: 'postgres://u:p@db:5432/app',
      schema: 'storage',
    }) as unknown as Record<string, unknown>;
    expect(options).toMatchObject({
      type: 'postgres',
      schema: 'storage',
      synchronize: false,
      migrationsRun: false,
      migrationsTableName: 'migrations',
      applicationName: 'sec-health-storage',
    });
    expect(options.namingStrategy).toBeInstanceOf(SnakeNamingStrategy);
    expect((options.extra as { options: string }).options).toBe('-c search_path=storage,public');
  });

  it('rejects bad schema names and bad URLs with typed errors that never quote the password', () => {
    for (const schema of ['Storage', 'a-b', 'pg_x', '', 'x; DROP']) {
      expect(() =>
        serviceDataSourceOptions({ ...base, url: 'postgres://localhost/x', schema }),
      ).toThrow(expect.objectContaining({ code: PersistenceErrorCode.InvalidConfig }));
    }
    for (const url of [
      'not a url hunter2',
      'mysql://u:hunter2@h/db',
      'postgres://u:hunter2@[bad/db',
    ]) {
      let caught: unknown;
      try {
        createServiceDataSource({ ...base, url, schema: 'svc' });
      } catch (error) {
        caught = error;
      }
      expect(isPersistenceError(caught, PersistenceErrorCode.InvalidConfig)).toBe(true);
      expect((caught as Error).message).toMatch(/^url: /);
      expect((caught as Error).message).not.toContain('hunter2');
    }
  });
});

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
