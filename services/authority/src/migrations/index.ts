import { outboxMigrations } from '@sec-health/persistence';

import { CreateAuthorityTables1731000000000 } from './1731000000000-create-authority-tables.js';

/** Every migration of the `authority` schema, the shared outbox included. */
export const authorityMigrations = [...outboxMigrations, CreateAuthorityTables1731000000000];
