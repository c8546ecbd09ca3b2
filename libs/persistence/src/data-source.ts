import { DataSource, type DataSourceOptions, type LoggerOptions } from 'typeorm';

import {
  PersistenceError,
  PersistenceErrorCode,
  toPersistenceError,
  type DatabaseTarget,
} from './errors.js';
import { SnakeNamingStrategy } from './naming-strategy.js';

type Entities = NonNullable<DataSourceOptions['entities']>;
type Migrations = NonNullable<DataSourceOptions['migrations']>;

export interface ServiceDataSourceConfig {
  /** postgres://user:password@host:port/database */
  readonly url: string;
  /** The service's own PostgreSQL schema (lowercase identifier, e.g. `storage`, `emergency_3`). */
  readonly schema: string;
  /** Migration classes, in any order (TypeORM sorts them by their 13-digit timestamp suffix). */
  readonly migrations: Migrations;
  readonly entities: Entities;
  /** Shown in pg_stat_activity, e.g. `storage` or `emergency-3`. Default `sec-health-<schema>`. */
  readonly applicationName?: string;
  /** Maximum connections in the pool. Default 10. */
  readonly poolSize?: number;
  /** Bound on opening one connection (TCP + startup + auth). Default 5000 ms. */
  readonly connectTimeoutMs?: number;
  /** Server-side statement_timeout of every session. Default 30000 ms. */
  readonly statementTimeoutMs?: number;
  /** idle_in_transaction_session_timeout, so a stuck client cannot hold locks. Default 60000 ms. */
  readonly idleInTransactionTimeoutMs?: number;
  /**
   * TypeORM logging. Default: off. TypeORM's error log prints the failed query's parameters
   * (names, keys, payloads); failures reach callers as typed errors and are logged there.
   */
  readonly logging?: LoggerOptions;
}

export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
export const DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;
/** Name of the migrations table inside each service schema. */
export const MIGRATIONS_TABLE = 'migrations';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function invalid(parameter: string, problem: string): PersistenceError {
  return new PersistenceError(PersistenceErrorCode.InvalidConfig, `${parameter}: ${problem}`, {
    parameter,
  });
}

/** Throws unless `schema` is a plain lowercase identifier (it is used unquoted in startup options). */
export function assertSchemaName(schema: unknown): asserts schema is string {
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema) || schema.startsWith('pg_')) {
    throw invalid('schema', 'must match [a-z_][a-z0-9_]{0,62} and not start with pg_');
  }
}

function positiveInteger(parameter: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw invalid(parameter, 'must be a positive integer');
  return value;
}

/** Host, port and database of a postgres URL; the password is never read out. */
export function databaseTargetFromUrl(url: string): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(
      'url',
      'is not a valid URL (expected postgres://user:password@host:port/database)',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw invalid('url', `protocol must be postgres: or postgresql:, got ${parsed.protocol}`);
  }
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost',
    port: parsed.port ? Number(parsed.port) : 5432,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
  };
}

/** Where a data source points (from its url, or host/port/database options). */
export function databaseTargetOf(dataSource: DataSource): DatabaseTarget {
  const options = dataSource.options as {
    url?: string;
    host?: string;
    port?: number;
    database?: string;
  };
  if (options.url) {
    try {
      return databaseTargetFromUrl(options.url);
    } catch {
      // fall through to the discrete options
    }
  }
  return {
    host: options.host ?? 'localhost',
    port: options.port ?? 5432,
    database: options.database ?? 'postgres',
  };
}

/**
 * The TypeORM options for one service schema: `synchronize: false`, migrations table
 * `<schema>.migrations`, snake_case naming, search_path `<schema>, public`, connect and statement
 * timeouts, bounded pool. Use this with `@nestjs/typeorm` (`useFactory`); use
 * `createServiceDataSource` everywhere else.
 */
export function serviceDataSourceOptions(config: ServiceDataSourceConfig): DataSourceOptions {
  assertSchemaName(config.schema);
  databaseTargetFromUrl(config.url);
  const applicationName = config.applicationName ?? `sec-health-${config.schema}`;
  if (typeof applicationName !== 'string' || applicationName.length === 0) {
    throw invalid('applicationName', 'must be a non-empty string');
  }
  const poolSize = positiveInteger('poolSize', config.poolSize, DEFAULT_POOL_SIZE);
  const connectTimeoutMs = positiveInteger(
    'connectTimeoutMs',
    config.connectTimeoutMs,
    DEFAULT_CONNECT_TIMEOUT_MS,
  );
  const statementTimeoutMs = positiveInteger(
    'statementTimeoutMs',
    config.statementTimeoutMs,
    DEFAULT_STATEMENT_TIMEOUT_MS,
  );
  const idleInTransactionTimeoutMs = positiveInteger(
    'idleInTransactionTimeoutMs',
    config.idleInTransactionTimeoutMs,
    DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  );
  return {
    type: 'postgres',
    url: config.url,
    schema: config.schema,
    applicationName,
    entities: config.entities,
    migrations: config.migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    migrationsRun: false,
    synchronize: false,
    dropSchema: false,
    namingStrategy: new SnakeNamingStrategy(),
    poolSize,
    connectTimeoutMS: connectTimeoutMs,
    // Extensions belong in migrations; gen_random_uuid() is built into PostgreSQL 13+.
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    logging: config.logging ?? false,
    // Passed to every pg client of the pool (startup parameters of each session).
    extra: {
      statement_timeout: statementTimeoutMs,
      idle_in_transaction_session_timeout: idleInTransactionTimeoutMs,
      options: `-c search_path=${config.schema},public`,
      keepAlive: true,
    },
  };
}

/**
 * A DataSource (not yet connected) for one service schema. Connect it with
 * `initializeDataSource` (typed errors, bounded time) or `runMigrations` (which connects too).
 */
export function createServiceDataSource(config: ServiceDataSourceConfig): DataSource {
  return new DataSource(serviceDataSourceOptions(config));
}

function connectTimeoutOf(dataSource: DataSource): number {
  const value = (dataSource.options as { connectTimeoutMS?: number }).connectTimeoutMS;
  return typeof value === 'number' && value > 0 ? value : DEFAULT_CONNECT_TIMEOUT_MS;
}

/**
 * Creates the data source's schema if it is missing. Checked first so a role without CREATE on
 * the database can still use a schema an administrator made; a concurrent creator is not an error.
 */
async function ensureSchema(dataSource: DataSource): Promise<void> {
  const schema = (dataSource.options as { schema?: string }).schema;
  if (schema === undefined) return;
  assertSchemaName(schema);
  const found = await dataSource.query<unknown[]>('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
    schema,
  ]);
  if (found.length > 0) return;
  // Two creators racing: the loser gets a unique violation, swallowed server-side (no error log).
  await dataSource.query(
    `DO $$ BEGIN CREATE SCHEMA IF NOT EXISTS "${schema}";
     EXCEPTION WHEN unique_violation OR duplicate_schema THEN NULL; END $$`,
  );
}

/**
 * Connects a DataSource, or does nothing if it already is, and creates its schema if missing.
 * Failures become PersistenceError (DATABASE_UNAVAILABLE, DATABASE_AUTH_FAILED,
 * DATABASE_NOT_FOUND...) naming host:port/database, within `timeoutMs` (default: the connect
 * timeout + 2 s).
 */
export async function initializeDataSource(
  dataSource: DataSource,
  options: { timeoutMs?: number } = {},
): Promise<DataSource> {
  if (dataSource.isInitialized) return dataSource;
  const target = databaseTargetOf(dataSource);
  const limit = options.timeoutMs ?? connectTimeoutOf(dataSource) + 2_000;
  const initializing = dataSource.initialize();
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(
        new PersistenceError(
          PersistenceErrorCode.DatabaseUnavailable,
          `database unavailable at ${target.host}:${target.port}/${target.database}: no answer within ${limit} ms`,
          { host: target.host, port: target.port, database: target.database, timeoutMs: limit },
        ),
      );
    }, limit);
  });
  try {
    await Promise.race([initializing, deadline]);
  } catch (error) {
    if (timedOut) {
      // Do not leave a pool behind if the connection completes after we gave up.
      initializing.then(
        (ds) => ds.destroy().catch(() => undefined),
        () => undefined,
      );
    }
    throw toPersistenceError(error, target);
  } finally {
    clearTimeout(timer);
  }
  try {
    await ensureSchema(dataSource);
    return dataSource;
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw toPersistenceError(error, target);
  }
}

/**
 * The schema a migration runs in (the data source's `schema` option), checked and quoted for SQL:
 * every service's migrations write `${migrationSchema(queryRunner)}."table"`.
 */
export function migrationSchema(queryRunner: { connection: { options: object } }): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  assertSchemaName(schema);
  return `"${schema}"`;
}
