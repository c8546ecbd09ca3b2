import { randomBytes } from 'node:crypto';

import {
  debianPostgresBinDirs,
  findPostgresBinDir,
  probePostgres,
  startPostgresProcess,
  type StartedPostgres,
} from '@sec-health/local-infra';
import pg from 'pg';

import { dockerEngineAvailable } from './docker.js';
import { TestInfraError, TestInfraErrorCode, describeError, redactUrl } from './errors.js';

/** A fresh, uniquely named database for one test suite. */
export interface TestDatabase {
  /** postgres://... of the new database. */
  readonly url: string;
  /** `test_<time>_<random>`. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /**
   * Where the server came from: DATABASE_URL, a testcontainers container, the server already
   * answering on 127.0.0.1:5432, or a PostgreSQL started here (initdb in a temp dir).
   */
  readonly source: 'env' | 'testcontainers' | 'local' | 'process';
  /** Drops the database, closing its remaining connections. Idempotent. */
  drop(): Promise<void>;
}

export interface ProvideDatabaseOptions {
  /** Environment to read DATABASE_URL / SEC_HEALTH_NO_DOCKER from. Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Use testcontainers when Docker answers. Default: probe (about 1.5 s at most). */
  readonly docker?: boolean;
  /** The local server to try last. Default postgres://postgres@127.0.0.1:5432/postgres. */
  readonly localUrl?: string;
  /** Bound on each connection attempt. Default 5 s (the local probe: 2 s). */
  readonly connectTimeoutMs?: number;
  /** Where to look for initdb/postgres after PATH. Default /usr/lib/postgresql/<major>/bin. */
  readonly postgresBinDirs?: readonly string[];
  /** Bound on initdb + start of a local PostgreSQL. Default 60 s. */
  readonly startTimeoutMs?: number;
}

export const DEFAULT_LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const POSTGRES_IMAGE = 'postgres:15-alpine';
export const START_POSTGRES_COMMAND =
  'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

const NAME_PATTERN = /^test_([0-9a-z]{8,10})_[0-9a-f]{12}$/;
/** Test databases older than this (by the time in their name) are left-overs of dead runs. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
const QUERY_TIMEOUT_MS = 30_000;

function databaseName(): string {
  return `test_${Date.now().toString(36)}_${randomBytes(6).toString('hex')}`;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function withClient<T>(
  url: string,
  connectTimeoutMs: number,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: connectTimeoutMs,
    query_timeout: QUERY_TIMEOUT_MS,
    application_name: 'sec-health-testing',
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const swept = new Set<string>();

/** Best effort, once per server and process: drop test databases left by runs that died. */
async function sweepStale(client: pg.Client, adminUrl: string): Promise<void> {
  if (swept.has(adminUrl)) return;
  swept.add(adminUrl);
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%'",
    );
    for (const { datname } of rows) {
      const match = NAME_PATTERN.exec(datname);
      if (!match?.[1]) continue;
      const created = parseInt(match[1], 36);
      if (Date.now() - created > STALE_AFTER_MS) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
  } catch {
    // another process may be sweeping too; never fail a test for this
  }
}

async function createDatabase(
  adminUrl: string,
  source: TestDatabase['source'],
  connectTimeoutMs: number,
): Promise<TestDatabase> {
  const name = databaseName();
  await withClient(adminUrl, connectTimeoutMs, async (client) => {
    // template0 never has connections, so parallel CREATE DATABASE calls do not collide.
    await client.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`);
    if (source !== 'testcontainers') await sweepStale(client, adminUrl);
  });
  const url = withDatabase(adminUrl, name);
  const parsed = new URL(url);
  let dropping: Promise<void> | undefined;
  return {
    url,
    name,
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    source,
    drop() {
      dropping ??= withClient(adminUrl, connectTimeoutMs, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      });
      return dropping;
    },
  };
}

/** One PostgreSQL container per test process; testcontainers' reaper removes it afterwards. */
let container: Promise<string> | undefined;

async function containerAdminUrl(): Promise<string> {
  container ??= (async () => {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const started = await new PostgreSqlContainer(POSTGRES_IMAGE)
      .withStartupTimeout(120_000)
      .start();
    return started.getConnectionUri();
  })();
  try {
    return await container;
  } catch (error) {
    container = undefined;
    throw error;
  }
}

/** One PostgreSQL started here per test process, shared by its suites; killed at exit. */
let started: Promise<StartedPostgres> | undefined;

async function startedAdminUrl(binDir: string, timeoutMs: number): Promise<string> {
  started ??= startPostgresProcess({ binDir, timeoutMs });
  try {
    return (await started).adminUrl;
  } catch (error) {
    started = undefined;
    throw error;
  }
}

/** Stops the PostgreSQL that provideDatabase started in this process, if any. */
export async function stopStartedPostgres(): Promise<void> {
  const current = started;
  started = undefined;
  if (current) await (await current.catch(() => undefined))?.stop();
}

/**
 * A fresh database for one test suite, from the first of:
 * 1. DATABASE_URL (a role allowed to CREATE DATABASE; its database is only used to connect);
 * 2. a testcontainers PostgreSQL, when a Docker engine answers;
 * 3. the local PostgreSQL at 127.0.0.1:5432 (user postgres);
 * 4. a PostgreSQL started here from initdb/postgres in PATH or /usr/lib/postgresql/<major>/bin.
 * Throws TEST_POSTGRES_UNAVAILABLE naming what is missing and how to provide it.
 */
export async function provideDatabase(options: ProvideDatabaseOptions = {}): Promise<TestDatabase> {
  const env = options.env ?? process.env;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const fromEnv = env.DATABASE_URL;

  if (fromEnv) {
    try {
      return await createDatabase(fromEnv, 'env', connectTimeoutMs);
    } catch (error) {
      throw new TestInfraError(
        TestInfraErrorCode.PostgresUnavailable,
        `DATABASE_URL is set (${redactUrl(fromEnv)}) but a test database could not be created there: ${describeError(error)}. Fix DATABASE_URL (the role needs CREATEDB) or unset it to use Docker or the local PostgreSQL.`,
        undefined,
        { cause: error },
      );
    }
  }

  const useDocker = options.docker ?? (await dockerEngineAvailable(env));
  if (useDocker) {
    try {
      return await createDatabase(await containerAdminUrl(), 'testcontainers', connectTimeoutMs);
    } catch (error) {
      throw new TestInfraError(
        TestInfraErrorCode.PostgresUnavailable,
        `Docker answers but the PostgreSQL test container (${POSTGRES_IMAGE}) failed: ${describeError(error)}. Set DATABASE_URL, or SEC_HEALTH_NO_DOCKER=1 to use the local PostgreSQL.`,
        undefined,
        { cause: error },
      );
    }
  }

  const localUrl = options.localUrl ?? DEFAULT_LOCAL_DATABASE_URL;
  const localError = await probePostgres(localUrl, Math.min(connectTimeoutMs, 2_000));
  if (localError === undefined) {
    try {
      return await createDatabase(localUrl, 'local', connectTimeoutMs);
    } catch (error) {
      throw new TestInfraError(
        TestInfraErrorCode.PostgresUnavailable,
        `the local PostgreSQL (${redactUrl(localUrl)}) answers but a test database could not be created: ${describeError(error)}`,
        undefined,
        { cause: error },
      );
    }
  }

  const binDirs = options.postgresBinDirs ?? debianPostgresBinDirs();
  const binDir = findPostgresBinDir(binDirs, env);
  if (binDir) {
    try {
      const adminUrl = await startedAdminUrl(binDir, options.startTimeoutMs ?? 60_000);
      return await createDatabase(adminUrl, 'process', connectTimeoutMs);
    } catch (error) {
      throw new TestInfraError(
        TestInfraErrorCode.PostgresUnavailable,
        `nothing answers on ${redactUrl(localUrl)} and starting PostgreSQL from ${binDir} failed: ${describeError(error)}`,
        undefined,
        { cause: error },
      );
    }
  }

  throw new TestInfraError(
    TestInfraErrorCode.PostgresUnavailable,
    [
      'No PostgreSQL for tests: DATABASE_URL is not set, no Docker engine answered, the local',
      `PostgreSQL (${redactUrl(localUrl)}) did not answer (${describeError(localError)}),`,
      `and no initdb + postgres were found in PATH or ${binDirs.length > 0 ? binDirs.join(', ') : '/usr/lib/postgresql/<major>/bin'}.`,
      'Provide one of:',
      '  - DATABASE_URL=postgres://user:password@host:5432/postgres (a role allowed to CREATE DATABASE);',
      `  - the local PostgreSQL: npm run infra:up, or ${START_POSTGRES_COMMAND};`,
      '  - PostgreSQL binaries (initdb, postgres) in PATH, e.g. apt-get install postgresql;',
      '  - a running Docker engine (testcontainers then starts one).',
    ].join('\n'),
    undefined,
    { cause: localError },
  );
}
