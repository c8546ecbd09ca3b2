import { migrationSchema } from '@sec-health/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCallCenterTables1735000000000 implements MigrationInterface {
  readonly name = 'CreateCallCenterTables1735000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = migrationSchema(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${q}."sessions" (
        "session_id"      uuid        NOT NULL,
        "patient_id"      uuid        NOT NULL,
        "attendant_id"    uuid        NOT NULL,
        "organization_id" uuid        NOT NULL,
        "collaborator_id" uuid        NOT NULL,
        "reason_code"     text        NOT NULL,
        "status"          text        NOT NULL,
        "opened_at"       timestamptz NOT NULL,
        "expires_at"      timestamptz NOT NULL,
        "closed_at"       timestamptz,
        "close_reason"    text,
        "opening"         jsonb       NOT NULL,
        "signature"       text        NOT NULL,
        "reassignments"   integer     NOT NULL DEFAULT 0,
        CONSTRAINT "sessions_pkey" PRIMARY KEY ("session_id"),
        CONSTRAINT "sessions_reason_code_check" CHECK ("reason_code" IN ('ETREAT', 'BTG')),
        CONSTRAINT "sessions_status_check" CHECK ("status" IN ('open', 'closed', 'expired')),
        CONSTRAINT "sessions_close_reason_check"
          CHECK ("close_reason" IN ('completed', 'cancelled', 'expired')),
        CONSTRAINT "sessions_closed_check" CHECK (
          ("status" = 'open') = ("closed_at" IS NULL)
          AND ("closed_at" IS NULL) = ("close_reason" IS NULL)
        ),
        CONSTRAINT "sessions_period_check" CHECK ("expires_at" > "opened_at")
      )`);
    // Lists: an organization's sessions in id order.
    await queryRunner.query(
      `CREATE INDEX "sessions_organization_id_idx" ON ${q}."sessions" ("organization_id", "session_id")`,
    );
    // The expiry sweep: open sessions by expiry.
    await queryRunner.query(
      `CREATE INDEX "sessions_open_expires_at_idx" ON ${q}."sessions" ("expires_at") WHERE "status" = 'open'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = migrationSchema(queryRunner);
    await queryRunner.query(`DROP TABLE ${q}."sessions"`);
  }
}
