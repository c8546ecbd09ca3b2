import { setTimeout as sleep } from 'node:timers/promises';

import { MigrationExecutor, type DataSource, type QueryRunner } from 'typeorm';

import { assertSchemaName, databaseTargetOf, initializeDataSource } from './data-source.js';
import {
  PersistenceError,
  PersistenceErrorCode,
  isDatabaseUnavailable,
  toPersistenceError,
} from './errors.js';

export interface RunMigrationsOptions {
  /** How long to wait for another process running the same schema's migrations. Default 60 s. */
  readonly lockTimeoutMs?: number;
  /** statement_timeout while migrating (index builds can be slow). Default 10 min. */
  readonly statementTimeoutMs?: number;
}

const LOCK_POLL_MS = 100;

function lockKey(schema: string): string {
  return `sec-health:migrations:${schema}`;
}

async function acquireLock(runner: QueryRunner, schema: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = (await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
      lockKey(schema),
    ])) as { locked: boolean }[];
    if (rows[0]?.locked === true) return;
    if (Date.now() >= deadline) {
      throw new PersistenceError(
        PersistenceErrorCode.MigrationLockTimeout,
        `migrations of schema "${schema}": another process held the migration lock for more than ${timeoutMs} ms`,
        { schema, timeoutMs },
      );
    }
    await sleep(LOCK_POLL_MS);
  }
}

/**
 * Runs the pending migrations of a service's data source and returns their names in the order run
 * (empty when none were pending). It connects the data source if needed (left connected), creates
 * the schema if missing, and holds a PostgreSQL advisory lock per schema so concurrent replicas
 * do not race. Each migration runs in its own transaction (unless the migration sets
 * `transaction = false`); a failure rolls that one back and throws PERSISTENCE_MIGRATION_FAILED
 * naming it. Refuses data sources with `synchronize` or `dropSchema`.
 */
export async function runMigrations(
  dataSource: DataSource,
  options: RunMigrationsOptions = {},
): Promise<string[]> {
  const dsOptions = dataSource.options as {
    synchronize?: boolean;
    dropSchema?: boolean;
    schema?: string;
    type: string;
  };
  if (dsOptions.synchronize === true || dsOptions.dropSchema === true) {
    throw new PersistenceError(
      PersistenceErrorCode.InvalidConfig,
      'runMigrations refuses a data source with synchronize or dropSchema enabled: schema changes go through migrations only',
      { parameter: dsOptions.synchronize === true ? 'synchronize' : 'dropSchema' },
    );
  }
  if (dsOptions.type !== 'postgres') {
    throw new PersistenceError(PersistenceErrorCode.InvalidConfig, 'type: must be postgres', {
      parameter: 'type',
    });
  }
  const schema = dsOptions.schema;
  assertSchemaName(schema);
  const target = databaseTargetOf(dataSource);
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  const statementTimeoutMs = options.statementTimeoutMs ?? 600_000;

  await initializeDataSource(dataSource);
  const runner = dataSource.createQueryRunner('master');
  let locked = false;
  let pendingNames: string[] = [];
  const executor = new MigrationExecutor(dataSource, runner);
  executor.transaction = 'each';
  try {
    await runner.connect();
    await runner.query(`SET statement_timeout = ${statementTimeoutMs}`);
    await acquireLock(runner, schema, lockTimeoutMs);
    locked = true;
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    pendingNames = (await executor.getPendingMigrations()).map((m) => m.name);
    const ran = await executor.executePendingMigrations();
    return ran.map((m) => m.name);
  } catch (error) {
    if (error instanceof PersistenceError) throw error;
    if (isDatabaseUnavailable(error)) throw toPersistenceError(error, target);
    let failed: string | undefined;
    try {
      const executed = new Set((await executor.getExecutedMigrations()).map((m) => m.name));
      failed = pendingNames.find((name) => !executed.has(name));
    } catch {
      // the connection may be gone; report without the name
    }
    const cause = toPersistenceError(error, target);
    throw new PersistenceError(
      PersistenceErrorCode.MigrationFailed,
      `migration ${failed ?? '(unknown)'} of schema "${schema}" failed and was rolled back: ${cause.message}`,
      { schema, ...(failed ? { migration: failed } : {}), ...cause.details },
      { cause: error },
    );
  } finally {
    if (!runner.isReleased) {
      try {
        if (locked) {
          await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey(schema)]);
        }
        await runner.query('RESET statement_timeout');
      } catch {
        // a broken connection releases the session lock by itself
      }
      await runner.release();
    }
  }
}
