import { outboxMigrations } from '@sec-health/persistence';

import { CreateCallCenterTables1735000000000 } from './1735000000000-create-callcenter-tables.js';

/** Every migration of the `callcenter` schema, the shared outbox first. */
export const callCenterMigrations = [...outboxMigrations, CreateCallCenterTables1735000000000];
