import { migrationSchema } from '@sec-health/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateStorageTables1733000000000 implements MigrationInterface {
  readonly name = 'CreateStorageTables1733000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = migrationSchema(queryRunner);
    // The signed metadata is kept whole (metadata, signature); the columns beside it are what
    // search filters on, checked against it on every read.
    await queryRunner.query(`
      CREATE TABLE ${q}."record_versions" (
        "record_id"          uuid        NOT NULL,
        "version"            integer     NOT NULL,
        "patient_id"         uuid        NOT NULL,
        "author_id"          uuid        NOT NULL,
        "category"           text        NOT NULL,
        "confidentiality"    text        NOT NULL,
        "sensitivity"        text[]      NOT NULL DEFAULT '{}',
        "created_at"         timestamptz NOT NULL,
        "content_type"       text        NOT NULL,
        "size"               integer     NOT NULL,
        "cid"                text        NOT NULL,
        "ciphertext_hash"    text        NOT NULL,
        "metadata"           jsonb       NOT NULL,
        "signature"          text        NOT NULL,
        "author_key_version" integer     NOT NULL,
        "author_signing_key" text        NOT NULL,
        "patient_ref"        text        NOT NULL,
        "author_ref"         text        NOT NULL,
        "status"             text        NOT NULL,
        "announced_at"       timestamptz NOT NULL DEFAULT now(),
        "stored_at"          timestamptz,
        "outbox_id"          bigint,
        CONSTRAINT "record_versions_pkey" PRIMARY KEY ("record_id", "version"),
        CONSTRAINT "record_versions_status_check" CHECK ("status" IN ('awaiting-content', 'stored'))
      )`);
    await queryRunner.query(
      `CREATE INDEX "record_versions_patient_idx" ON ${q}."record_versions" ("patient_id", "category", "created_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "record_versions_author_idx" ON ${q}."record_versions" ("author_id")`,
    );
    await queryRunner.query(`
      CREATE TABLE ${q}."record_keys" (
        "record_id"             uuid    NOT NULL,
        "version"               integer NOT NULL,
        "recipient_id"          uuid    NOT NULL,
        "recipient_key_version" integer NOT NULL,
        "wrapped_key"           text    NOT NULL,
        CONSTRAINT "record_keys_pkey" PRIMARY KEY ("record_id", "version", "recipient_id"),
        CONSTRAINT "record_keys_version_fkey" FOREIGN KEY ("record_id", "version")
          REFERENCES ${q}."record_versions" ("record_id", "version") ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE TABLE ${q}."record_shares" (
        "record_id"    uuid    NOT NULL,
        "version"      integer NOT NULL,
        "share_index"  integer NOT NULL,
        "server_id"    uuid    NOT NULL,
        "sealed_share" text    NOT NULL,
        CONSTRAINT "record_shares_pkey" PRIMARY KEY ("record_id", "version", "share_index"),
        CONSTRAINT "record_shares_version_fkey" FOREIGN KEY ("record_id", "version")
          REFERENCES ${q}."record_versions" ("record_id", "version") ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE TABLE ${q}."uploads" (
        "upload_id"      uuid        NOT NULL,
        "record_id"      uuid        NOT NULL,
        "version"        integer     NOT NULL,
        "actor_id"       uuid        NOT NULL,
        "expires_at"     timestamptz NOT NULL,
        "received_bytes" integer     NOT NULL DEFAULT 0,
        "next_index"     integer     NOT NULL DEFAULT 0,
        CONSTRAINT "uploads_pkey" PRIMARY KEY ("upload_id"),
        CONSTRAINT "uploads_version_key" UNIQUE ("record_id", "version"),
        CONSTRAINT "uploads_version_fkey" FOREIGN KEY ("record_id", "version")
          REFERENCES ${q}."record_versions" ("record_id", "version") ON DELETE CASCADE
      )`);
    // Ciphertext in transit between the gateway and the IPFS import, deleted once imported.
    await queryRunner.query(`
      CREATE TABLE ${q}."upload_chunks" (
        "upload_id"   uuid    NOT NULL,
        "chunk_index" integer NOT NULL,
        "data"        bytea   NOT NULL,
        CONSTRAINT "upload_chunks_pkey" PRIMARY KEY ("upload_id", "chunk_index"),
        CONSTRAINT "upload_chunks_upload_fkey" FOREIGN KEY ("upload_id")
          REFERENCES ${q}."uploads" ("upload_id") ON DELETE CASCADE
      )`);
    // Every instance's IPFS node, so the instances find and dial each other.
    await queryRunner.query(`
      CREATE TABLE ${q}."ipfs_peers" (
        "peer_id"    text        NOT NULL,
        "multiaddrs" text[]      NOT NULL,
        "seen_at"    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "ipfs_peers_pkey" PRIMARY KEY ("peer_id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = migrationSchema(queryRunner);
    for (const table of [
      'ipfs_peers',
      'upload_chunks',
      'uploads',
      'record_shares',
      'record_keys',
      'record_versions',
    ]) {
      await queryRunner.query(`DROP TABLE ${q}."${table}"`);
    }
  }
}
