import { outboxMigrations } from '@sec-health/persistence';

import { CreateSharingTables1734000000000 } from './1734000000000-create-sharing-tables.js';

/** Every migration of the `sharing` schema, the shared outbox first. */
export const sharingMigrations = [...outboxMigrations, CreateSharingTables1734000000000];
