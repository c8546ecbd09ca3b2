import { outboxMigrations } from '@sec-health/persistence';

import { CreateStorageTables1733000000000 } from './1733000000000-create-storage-tables.js';

/** Every migration of the `storage` schema, the shared outbox included. */
export const storageMigrations = [...outboxMigrations, CreateStorageTables1733000000000];
