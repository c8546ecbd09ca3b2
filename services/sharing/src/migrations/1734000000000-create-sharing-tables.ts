import { migrationSchema } from '@sec-health/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSharingTables1734000000000 implements MigrationInterface {
  readonly name = 'CreateSharingTables1734000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = migrationSchema(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${q}."consents" (
        "consent_id"           uuid        NOT NULL,
        "patient_id"           uuid        NOT NULL,
        "grantee_id"           uuid        NOT NULL,
        "permission"           text        NOT NULL,
        "purpose_of_use"       text        NOT NULL,
        "record_ids"           uuid[]      NOT NULL,
        "categories"           text[]      NOT NULL,
        "valid_from"           timestamptz NOT NULL,
        "expires_at"           timestamptz NOT NULL,
        "body"                 jsonb       NOT NULL,
        "signature"            text        NOT NULL,
        "consent_hash"         text        NOT NULL,
        "outbox_id"            bigint      NOT NULL,
        "revoked_at"           timestamptz,
        "revocation_signed_at" text,
        "revocation_signature" text,
        "revocation_hash"      text,
        "revocation_outbox_id" bigint,
        "created_at"           timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "consents_pkey" PRIMARY KEY ("consent_id"),
        CONSTRAINT "consents_permission_check" CHECK ("permission" IN ('read', 'write')),
        CONSTRAINT "consents_purpose_check" CHECK ("purpose_of_use" IN ('treatment', 'research')),
        CONSTRAINT "consents_period_check" CHECK ("expires_at" > "valid_from"),
        CONSTRAINT "consents_revocation_check" CHECK (
          ("revoked_at" IS NULL) = ("revocation_signature" IS NULL)
          AND ("revoked_at" IS NULL) = ("revocation_outbox_id" IS NULL)
        )
      )`);
    // Lists and pages, by patient and by grantee, in id order.
    await queryRunner.query(
      `CREATE INDEX "consents_patient_id_idx" ON ${q}."consents" ("patient_id", "consent_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "consents_grantee_id_idx" ON ${q}."consents" ("grantee_id", "patient_id", "consent_id")`,
    );
    await queryRunner.query(`
      CREATE TABLE ${q}."consent_keys" (
        "consent_id"            uuid        NOT NULL,
        "record_id"             uuid        NOT NULL,
        "version"               bigint      NOT NULL,
        "recipient_id"          uuid        NOT NULL,
        "recipient_key_version" bigint      NOT NULL,
        "wrapped_key"           text        NOT NULL,
        "created_at"            timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "consent_keys_pkey" PRIMARY KEY ("consent_id", "record_id", "version"),
        CONSTRAINT "consent_keys_consent_fkey" FOREIGN KEY ("consent_id")
          REFERENCES ${q}."consents" ("consent_id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE TABLE ${q}."emergency_policies" (
        "patient_id"     uuid        NOT NULL,
        "policy_version" bigint      NOT NULL,
        "body"           jsonb       NOT NULL,
        "signature"      text        NOT NULL,
        "policy_hash"    text        NOT NULL,
        "outbox_id"      bigint      NOT NULL,
        "created_at"     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "emergency_policies_pkey" PRIMARY KEY ("patient_id", "policy_version"),
        CONSTRAINT "emergency_policies_version_check"
          CHECK ("policy_version" BETWEEN 1 AND 4294967295)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = migrationSchema(queryRunner);
    await queryRunner.query(`DROP TABLE ${q}."emergency_policies"`);
    await queryRunner.query(`DROP TABLE ${q}."consent_keys"`);
    await queryRunner.query(`DROP TABLE ${q}."consents"`);
  }
}
