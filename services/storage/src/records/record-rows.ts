import type { SignedRecordMetadata } from '@sec-health/protocol';

/** One row of record_versions, as the service reads it. */
export interface RecordVersionRow {
  readonly recordId: string;
  readonly version: number;
  readonly patientId: string;
  readonly authorId: string;
  readonly category: string;
  readonly confidentiality: string;
  readonly sensitivity: string[];
  readonly createdAt: Date;
  readonly contentType: string;
  readonly size: number;
  readonly cid: string;
  readonly ciphertextHash: string;
  readonly metadata: SignedRecordMetadata['metadata'];
  readonly signature: string;
  readonly authorKeyVersion: number;
  readonly authorSigningKey: string;
  readonly patientRef: string;
  readonly authorRef: string;
  readonly status: 'awaiting-content' | 'stored';
  readonly storedAt: Date | null;
  readonly outboxId: string | null;
}

export const VERSION_COLUMNS = `
  record_id AS "recordId", version, patient_id AS "patientId", author_id AS "authorId",
  category, confidentiality, sensitivity, created_at AS "createdAt", content_type AS "contentType",
  size, cid, ciphertext_hash AS "ciphertextHash", metadata, signature,
  author_key_version AS "authorKeyVersion", author_signing_key AS "authorSigningKey",
  patient_ref AS "patientRef", author_ref AS "authorRef", status, stored_at AS "storedAt",
  outbox_id::text AS "outboxId"`;

export interface UploadRow {
  readonly uploadId: string;
  readonly recordId: string;
  readonly version: number;
  readonly actorId: string;
  readonly expiresAt: Date;
  readonly receivedBytes: number;
  readonly nextIndex: number;
}

export const UPLOAD_COLUMNS = `
  upload_id AS "uploadId", record_id AS "recordId", version, actor_id AS "actorId",
  expires_at AS "expiresAt", received_bytes AS "receivedBytes", next_index AS "nextIndex"`;
