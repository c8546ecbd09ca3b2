import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

import {
  freePort,
  isProcessAlive,
  isTestInfraError,
  provideDatabase,
  stopStartedPostgres,
  TestInfraErrorCode,
  type TestDatabase,
} from '../src/index.js';

const LOCAL_ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';

async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function exists(name: string): Promise<boolean> {
  const rows = await query(LOCAL_ADMIN, 'SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rows.length === 1;
}

describe('provideDatabase', () => {
  const created: TestDatabase[] = [];
  afterEach(async () => {
    vi.unstubAllEnvs();
    await Promise.all(created.splice(0).map((db) => db.drop()));
  });

  it('gives a fresh, usable database on the local PostgreSQL and drop() removes it', async () => {
    const db = await provideDatabase({ env: {}, docker: false });
    created.push(db);
    expect(db.source).toBe('local');
    expect(db.name).toMatch(/^test_[0-9a-z]+_[0-9a-f]{12}$/);
    expect(new URL(db.url).pathname).toBe(`/${db.name}`);
    expect(await exists(db.name)).toBe(true);

    await query(db.url, 'CREATE TABLE t (v int)');
    await query(db.url, 'INSERT INTO t VALUES (42)');
    expect(await query<{ v: number }>(db.url, 'SELECT v FROM t')).toEqual([{ v: 42 }]);

    // drop() works even with a connection still open, and twice.
    const lingering = new pg.Client({ connectionString: db.url });
    lingering.on('error', () => undefined);
    await lingering.connect();
    await db.drop();
    await db.drop();
    await lingering.end().catch(() => undefined);
    expect(await exists(db.name)).toBe(false);
  });

  it('gives every call its own database', async () => {
    const [a, b] = await Promise.all([
      provideDatabase({ env: {}, docker: false }),
      provideDatabase({ env: {}, docker: false }),
    ]);
    created.push(a, b);
    expect(a.name).not.toBe(b.name);
    await query(a.url, 'CREATE TABLE only_in_a (v int)');
    const inB = await query(b.url, "SELECT 1 FROM pg_tables WHERE tablename = 'only_in_a'");
    expect(inB).toEqual([]);
  });

  it('uses DATABASE_URL from the environment when it is set', async () => {
    vi.stubEnv('DATABASE_URL', LOCAL_ADMIN);
    const db = await provideDatabase();
    created.push(db);
    expect(db.source).toBe('env');
    expect(await query<{ d: string }>(db.url, 'SELECT current_database() AS d')).toEqual([
      { d: db.name },
    ]);
  });

  it('fails clearly, without the password, when DATABASE_URL does not answer', async () => {
    const port = await freePort();
    const error = await provideDatabase({
      env: { DATABASE_URL: `postgres://postgres:hunter2@127.0.0.1:${port}/postgres` },
    }).catch((e: unknown) => e);
    expect(isTestInfraError(error, TestInfraErrorCode.PostgresUnavailable)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain(`127.0.0.1:${port}`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).not.toContain('hunter2');
  });

  it('starts its own PostgreSQL (initdb in a temp dir) when nothing answers', async () => {
    const closed = await freePort();
    const options = {
      env: { PATH: process.env.PATH },
      docker: false,
      localUrl: `postgres://postgres@127.0.0.1:${closed}/postgres`,
    };
    const [a, b] = await Promise.all([provideDatabase(options), provideDatabase(options)]);
    created.push(a, b);
    expect([a.source, b.source]).toEqual(['process', 'process']);
    expect(a.port).toBe(b.port);
    expect(a.port).not.toBe(closed);
    expect(await query<{ d: string }>(a.url, 'SELECT current_database() AS d')).toEqual([
      { d: a.name },
    ]);
    // The first line of postmaster.pid is the server's PID.
    const [row] = await query<{ pid: string }>(
      a.url,
      "SELECT pg_read_file('postmaster.pid') AS pid",
    );
    const pid = Number(row!.pid.split('\n')[0]);
    expect(isProcessAlive(pid)).toBe(true);
    await Promise.all(created.splice(0).map((db) => db.drop()));
    await stopStartedPostgres();
    expect(isProcessAlive(pid)).toBe(false);
  }, 90_000);

  let emptyDir: string | undefined;
  afterAll(async () => {
    if (emptyDir) await rm(emptyDir, { recursive: true, force: true });
  });

  it('names every way to provide PostgreSQL when none is available', async () => {
    const port = await freePort();
    emptyDir = await mkdtemp(join(tmpdir(), 'sec-health-empty-'));
    const error = await provideDatabase({
      env: { PATH: emptyDir },
      docker: false,
      localUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
      postgresBinDirs: [],
    }).catch((e: unknown) => e);
    expect(isTestInfraError(error, TestInfraErrorCode.PostgresUnavailable)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('pg_ctlcluster');
    expect(message).toContain('npm run infra:up');
    expect(message).toContain('initdb');
    expect(message).toContain('Docker');
  });
});
