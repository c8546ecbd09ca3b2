import { migrationSchema } from '@sec-health/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuthorityTables1731000000000 implements MigrationInterface {
  readonly name = 'CreateAuthorityTables1731000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = migrationSchema(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${q}."organizations" (
        "id"         uuid        NOT NULL,
        "name"       text        NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "organizations_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "organizations_name_key" UNIQUE ("name")
      )`);
    await queryRunner.query(`
      CREATE TABLE ${q}."participants" (
        "id"              uuid        NOT NULL,
        "role"            text        NOT NULL,
        "kind"            text,
        "organization_id" uuid,
        "status"          text        NOT NULL,
        "display_name"    text        NOT NULL,
        "email"           text,
        "signing_key"     text        NOT NULL,
        "encryption_key"  text        NOT NULL,
        "key_version"     integer     NOT NULL DEFAULT 1,
        "participant_ref" text        NOT NULL,
        "setup_name"      text,
        "created_at"      timestamptz NOT NULL DEFAULT now(),
        "updated_at"      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "participants_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "participants_signing_key_key" UNIQUE ("signing_key"),
        CONSTRAINT "participants_participant_ref_key" UNIQUE ("participant_ref"),
        CONSTRAINT "participants_setup_name_key" UNIQUE ("setup_name"),
        CONSTRAINT "participants_organization_fkey" FOREIGN KEY ("organization_id")
          REFERENCES ${q}."organizations" ("id"),
        CONSTRAINT "participants_status_check" CHECK ("status" IN ('pending', 'active', 'revoked'))
      )`);
    await queryRunner.query(
      `CREATE INDEX "participants_organization_id_idx" ON ${q}."participants" ("organization_id", "id")`,
    );
    await queryRunner.query(`
      CREATE TABLE ${q}."attestations" (
        "participant_id" uuid        NOT NULL,
        "key_version"    integer     NOT NULL,
        "body"           jsonb       NOT NULL,
        "signature"      text        NOT NULL,
        "hash"           text        NOT NULL,
        "outbox_id"      bigint      NOT NULL,
        "created_at"     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "attestations_pkey" PRIMARY KEY ("participant_id", "key_version"),
        CONSTRAINT "attestations_participant_fkey" FOREIGN KEY ("participant_id")
          REFERENCES ${q}."participants" ("id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = migrationSchema(queryRunner);
    await queryRunner.query(`DROP TABLE ${q}."attestations"`);
    await queryRunner.query(`DROP TABLE ${q}."participants"`);
    await queryRunner.query(`DROP TABLE ${q}."organizations"`);
  }
}
