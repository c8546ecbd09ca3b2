import type { MigrationInterface, QueryRunner } from 'typeorm';

import { assertSchemaName } from '../data-source.js';
import { PersistenceError, PersistenceErrorCode } from '../errors.js';
import {
  OUTBOX_IDEMPOTENCY_KEY_UNIQUE,
  OUTBOX_PRIMARY_KEY,
  OUTBOX_STATUS_CHECK,
  OUTBOX_STATUS_CHECK_SQL,
  OUTBOX_STATUS_ID_INDEX,
  OUTBOX_TABLE,
} from './outbox.entity.js';

/** The schema a migration runs in: the data source's `schema` option. */
function schemaOf(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  assertSchemaName(schema);
  return schema;
}

/**
 * Creates `<schema>.outbox`. It reads the schema from the data source, so every service lists
 * the same class: `migrations: [...outboxMigrations, ...ownMigrations]`.
 */
export class CreateOutbox1700000000000 implements MigrationInterface {
  readonly name = 'CreateOutbox1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = `"${schemaOf(queryRunner)}"."${OUTBOX_TABLE}"`;
    await queryRunner.query(`
      CREATE TABLE ${table} (
        "id"              bigserial    NOT NULL,
        "idempotency_key" text         NOT NULL,
        "kind"            text         NOT NULL,
        "payload"         jsonb        NOT NULL,
        "status"          text         NOT NULL DEFAULT 'pending',
        "attempts"        integer      NOT NULL DEFAULT 0,
        "last_error"      text,
        "nonce"           bigint,
        "raw_tx"          text,
        "sender"          text,
        "tx_hash"         text,
        "block_number"    bigint,
        "note"            text,
        "created_at"      timestamptz  NOT NULL DEFAULT now(),
        "sent_at"         timestamptz,
        "confirmed_at"    timestamptz,
        "next_attempt_at" timestamptz  NOT NULL DEFAULT now(),
        CONSTRAINT "${OUTBOX_PRIMARY_KEY}" PRIMARY KEY ("id"),
        CONSTRAINT "${OUTBOX_IDEMPOTENCY_KEY_UNIQUE}" UNIQUE ("idempotency_key"),
        CONSTRAINT "${OUTBOX_STATUS_CHECK}" CHECK (${OUTBOX_STATUS_CHECK_SQL})
      )`);
    await queryRunner.query(
      `CREATE INDEX "${OUTBOX_STATUS_ID_INDEX}" ON ${table} ("status", "id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}"."${OUTBOX_TABLE}"`);
  }
}

/** Every migration of the shared outbox table, in order; spread into a service's migrations. */
export const outboxMigrations = [CreateOutbox1700000000000] as const;

/**
 * The same migration bound to one schema, for callers that prefer to name it: it refuses to run
 * on a data source whose `schema` is different. Same migration name, so the two are
 * interchangeable in a schema's history.
 */
export function createOutboxMigration(
  schema: string,
): new () => MigrationInterface & { readonly name: string } {
  assertSchemaName(schema);
  return class extends CreateOutbox1700000000000 {
    override async up(queryRunner: QueryRunner): Promise<void> {
      assertSameSchema(queryRunner, schema);
      await super.up(queryRunner);
    }

    override async down(queryRunner: QueryRunner): Promise<void> {
      assertSameSchema(queryRunner, schema);
      await super.down(queryRunner);
    }
  };
}

function assertSameSchema(queryRunner: QueryRunner, schema: string): void {
  const actual = schemaOf(queryRunner);
  if (actual !== schema) {
    throw new PersistenceError(
      PersistenceErrorCode.InvalidConfig,
      `outbox migration bound to schema "${schema}" cannot run on a data source for schema "${actual}"`,
      { parameter: 'schema' },
    );
  }
}
