// Public surface of @sec-health/persistence.
export * from './errors.js';
export { snakeCase, SnakeNamingStrategy } from './naming-strategy.js';
export {
  assertSchemaName,
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
export { enqueueOutbox, outboxNewChannel, type NewOutboxEntry } from './outbox/outbox.js';
