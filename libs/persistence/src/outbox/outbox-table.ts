// Who owns the outbox. Like every table, it belongs to libs/persistence: its entity, its
// migration, every statement that reads or writes it and its notification channels live in this
// folder, so its columns and status vocabulary change in one place. libs/ledger keeps the chain
// side (sign, broadcast, receipts) and calls these statements; services only enqueue and read
// anchors (anchorsOf), never the columns.
import type { EntityManager, QueryRunner } from 'typeorm';

import { assertSchemaName } from '../data-source.js';
import { OUTBOX_TABLE } from './outbox.entity.js';

/** Anything that runs a statement: a DataSource, an EntityManager or a QueryRunner. */
export type Queryable = Pick<EntityManager, 'query'> | Pick<QueryRunner, 'query'>;

/** `"<schema>"."outbox"`, after checking the schema name (it is interpolated into SQL). */
export function outboxTable(schema: string): string {
  assertSchemaName(schema);
  return `"${schema}"."${OUTBOX_TABLE}"`;
}

/** `new`: a row was enqueued (the sender listens). `done`: a row was settled (waiters listen). */
export type OutboxEvent = 'new' | 'done';

/**
 * The one name of each outbox notification channel of a schema: `outbox_new_<schema>` and
 * `outbox_done_<schema>`. Notified in the writing transaction, so listeners hear only of commits.
 */
export function outboxChannel(schema: string, event: OutboxEvent): string {
  assertSchemaName(schema);
  return `outbox_${event}_${schema}`;
}

/** TypeORM answers UPDATE ... RETURNING with [rows, count] on PostgreSQL; plain SELECTs with rows. */
export function returnedRows(result: unknown): unknown[] {
  if (!Array.isArray(result)) return [];
  return Array.isArray(result[0]) ? (result[0] as unknown[]) : result;
}

/** Error texts stored in `last_error` are cut to this length. */
export const MAX_ERROR_LENGTH = 2_000;
