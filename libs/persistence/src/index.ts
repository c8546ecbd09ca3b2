// Public surface of @sec-health/persistence.
export * from './errors.js';
export { classifyDatabaseError } from './classify-database-error.js';
export { snakeCase, SnakeNamingStrategy } from './naming-strategy.js';
export {
  assertSchemaName,
  migrationSchema,
  createServiceDataSource,
  databaseTargetFromUrl,
  databaseTargetOf,
  initializeDataSource,
  serviceDataSourceOptions,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  DEFAULT_POOL_SIZE,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  MIGRATIONS_TABLE,
  type ServiceDataSourceConfig,
} from './data-source.js';
export { runMigrations, type RunMigrationsOptions } from './migrations.js';
export * from './outbox/outbox.entity.js';
export {
  CreateOutbox1700000000000,
  createOutboxMigration,
  outboxMigrations,
} from './outbox/outbox.migration.js';
// The outbox: table, statements and channels have this one owner (see outbox/outbox-table.ts).
export { enqueueOutbox, enqueueOutboxNow } from './outbox/enqueue.js';
export type { NewOutboxEntry } from './outbox/outbox-entry.js';
export { outboxChannel, type OutboxEvent, type Queryable } from './outbox/outbox-table.js';
export {
  anchorsOf,
  cancelIfUnsent,
  readAnchorOutcome,
  type AnchorStatus,
  type OutboxAnchor,
} from './outbox/anchors.js';
export * as outboxSenderSql from './outbox/sender-sql.js';
export type { OutboxRow } from './outbox/sender-sql.js';
