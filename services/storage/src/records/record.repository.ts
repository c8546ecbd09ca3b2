import type { ListRecordsRequest, WrappedKey, WrappedShare } from '@sec-health/protocol';
import type { DataSource, EntityManager } from 'typeorm';

import { STORAGE_SCHEMA } from '../config.js';
import {
  UPLOAD_COLUMNS,
  VERSION_COLUMNS,
  type RecordVersionRow,
  type UploadRow,
} from './record-rows.js';

const S = `"${STORAGE_SCHEMA}"`;

type Db = Pick<EntityManager, 'query'>;

export interface NewRecordVersion {
  readonly row: Omit<RecordVersionRow, 'status' | 'storedAt' | 'outboxId'>;
  readonly keys: readonly WrappedKey[];
  readonly shares: readonly WrappedShare[];
  readonly upload: { uploadId: string; actorId: string; expiresAt: Date };
}

/** The only code that reads and writes the storage schema's record tables. */
export class RecordRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insertAnnounced(m: Db, record: NewRecordVersion): Promise<void> {
    const r = record.row;
    await m.query(
      `INSERT INTO ${S}.record_versions (record_id, version, patient_id, author_id, category,
         confidentiality, sensitivity, created_at, content_type, size, cid, ciphertext_hash,
         metadata, signature, author_key_version, author_signing_key, patient_ref, author_ref, status)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,'awaiting-content')`,
      [
        r.recordId,
        r.version,
        r.patientId,
        r.authorId,
        r.category,
        r.confidentiality,
        r.sensitivity,
        r.createdAt,
        r.contentType,
        r.size,
        r.cid,
        r.ciphertextHash,
        JSON.stringify(r.metadata),
        r.signature,
        r.authorKeyVersion,
        r.authorSigningKey,
        r.patientRef,
        r.authorRef,
      ],
    );
    for (const key of record.keys) {
      await m.query(
        `INSERT INTO ${S}.record_keys (record_id, version, recipient_id, recipient_key_version, wrapped_key)
         VALUES ($1,$2,$3,$4,$5)`,
        [r.recordId, r.version, key.recipientId, key.recipientKeyVersion, key.wrappedKey],
      );
    }
    for (const share of record.shares) {
      await m.query(
        `INSERT INTO ${S}.record_shares (record_id, version, share_index, server_id, sealed_share)
         VALUES ($1,$2,$3,$4,$5)`,
        [r.recordId, r.version, share.index, share.serverId, share.sealedShare],
      );
    }
    await m.query(
      `INSERT INTO ${S}.uploads (upload_id, record_id, version, actor_id, expires_at)
       VALUES ($1,$2,$3,$4,$5)`,
      [
        record.upload.uploadId,
        r.recordId,
        r.version,
        record.upload.actorId,
        record.upload.expiresAt,
      ],
    );
  }

  /** Locks the record's versions (all of them) so versions of one record are added one at a time. */
  async lockRecord(m: Db, recordId: string): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`storage:record:${recordId}`]);
  }

  async findVersion(
    recordId: string,
    version: number,
    db: Db = this.dataSource,
  ): Promise<RecordVersionRow | undefined> {
    const rows = await db.query<RecordVersionRow[]>(
      `SELECT ${VERSION_COLUMNS} FROM ${S}.record_versions WHERE record_id = $1 AND version = $2`,
      [recordId, version],
    );
    return rows[0];
  }

  /** Every version of a record, oldest first, announced ones included. */
  async versionsOf(recordId: string, db: Db = this.dataSource): Promise<RecordVersionRow[]> {
    return await db.query<RecordVersionRow[]>(
      `SELECT ${VERSION_COLUMNS} FROM ${S}.record_versions WHERE record_id = $1 ORDER BY version`,
      [recordId],
    );
  }

  async latestStored(recordId: string): Promise<RecordVersionRow | undefined> {
    const rows = await this.dataSource.query<RecordVersionRow[]>(
      `SELECT ${VERSION_COLUMNS} FROM ${S}.record_versions
        WHERE record_id = $1 AND status = 'stored' ORDER BY version DESC LIMIT 1`,
      [recordId],
    );
    return rows[0];
  }

  async keyFor(recordId: string, version: number, recipientId: string) {
    const rows = await this.dataSource.query<WrappedKey[]>(
      `SELECT recipient_id AS "recipientId", recipient_key_version AS "recipientKeyVersion",
              wrapped_key AS "wrappedKey"
         FROM ${S}.record_keys WHERE record_id = $1 AND version = $2 AND recipient_id = $3`,
      [recordId, version, recipientId],
    );
    return rows[0];
  }

  /** The latest stored version of each of the patient's records matching the filters. */
  async search(filter: ListRecordsRequest, limit: number): Promise<RecordVersionRow[]> {
    const where = [`v.patient_id = $1`, `v.status = 'stored'`];
    const params: unknown[] = [filter.patientId];
    const add = (clause: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(clause(params.length));
    };
    if (filter.category?.length) add((n) => `v.category = ANY($${n}::text[])`, filter.category);
    if (filter.authorId) add((n) => `v.author_id = $${n}`, filter.authorId);
    if (filter.confidentiality?.length) {
      add((n) => `v.confidentiality = ANY($${n}::text[])`, filter.confidentiality);
    }
    if (filter.sensitivity?.length)
      add((n) => `v.sensitivity && $${n}::text[]`, filter.sensitivity);
    if (filter.createdFrom) add((n) => `v.created_at >= $${n}`, filter.createdFrom);
    if (filter.createdTo) add((n) => `v.created_at < $${n}`, filter.createdTo);
    if (filter.after) add((n) => `v.record_id > $${n}`, filter.after);
    params.push(limit);
    return await this.dataSource.query<RecordVersionRow[]>(
      `SELECT ${VERSION_COLUMNS} FROM ${S}.record_versions
        WHERE (record_id, version) IN (
          SELECT v.record_id, v.version FROM ${S}.record_versions v
           WHERE ${where.join(' AND ')}
             AND v.version = (SELECT max(l.version) FROM ${S}.record_versions l
                               WHERE l.record_id = v.record_id AND l.status = 'stored'))
        ORDER BY record_id LIMIT $${params.length}`,
      params,
    );
  }

  async lockUpload(m: Db, uploadId: string): Promise<UploadRow | undefined> {
    const rows = await m.query<UploadRow[]>(
      `SELECT ${UPLOAD_COLUMNS} FROM ${S}.uploads WHERE upload_id = $1 FOR UPDATE`,
      [uploadId],
    );
    return rows[0];
  }

  async findUploadOf(recordId: string, version: number, db: Db = this.dataSource) {
    const rows = await db.query<UploadRow[]>(
      `SELECT ${UPLOAD_COLUMNS} FROM ${S}.uploads WHERE record_id = $1 AND version = $2`,
      [recordId, version],
    );
    return rows[0];
  }

  async appendChunk(m: Db, upload: UploadRow, data: Uint8Array): Promise<number> {
    await m.query(
      `INSERT INTO ${S}.upload_chunks (upload_id, chunk_index, data) VALUES ($1, $2, $3)`,
      [upload.uploadId, upload.nextIndex, Buffer.from(data.buffer, data.byteOffset, data.length)],
    );
    const received = upload.receivedBytes + data.length;
    await m.query(
      `UPDATE ${S}.uploads SET received_bytes = $2, next_index = next_index + 1 WHERE upload_id = $1`,
      [upload.uploadId, received],
    );
    return received;
  }

  /** The upload's chunks in order, one query each, so a whole record is never in memory. */
  async *chunksOf(uploadId: string, count: number): AsyncGenerator<Uint8Array> {
    for (let index = 0; index < count; index++) {
      const rows = await this.dataSource.query<{ data: Buffer }[]>(
        `SELECT data FROM ${S}.upload_chunks WHERE upload_id = $1 AND chunk_index = $2`,
        [uploadId, index],
      );
      const row = rows[0];
      if (!row) throw new Error(`chunk ${index} of upload ${uploadId} is missing`);
      yield new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.length);
    }
  }

  /** Whether a stored version's content has this CID (content is shared by CID, pins too). */
  async isStoredCid(cid: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM ${S}.record_versions WHERE cid = $1 AND status = 'stored' LIMIT 1`,
      [cid],
    );
    return rows.length > 0;
  }

  async markStored(m: Db, recordId: string, version: number, outboxId: string): Promise<void> {
    await m.query(
      `UPDATE ${S}.record_versions SET status = 'stored', stored_at = now(), outbox_id = $3
        WHERE record_id = $1 AND version = $2`,
      [recordId, version, outboxId],
    );
    await m.query(`DELETE FROM ${S}.uploads WHERE record_id = $1 AND version = $2`, [
      recordId,
      version,
    ]);
  }

  /** Drops an announced version whose content never matched (its upload, keys and shares go too). */
  async dropAnnounced(m: Db, recordId: string, version: number): Promise<void> {
    await m.query(
      `DELETE FROM ${S}.record_versions WHERE record_id = $1 AND version = $2 AND status = 'awaiting-content'`,
      [recordId, version],
    );
  }

  /** Announced versions whose upload expired: deleted with their chunks. */
  async dropExpiredUploads(): Promise<number> {
    const rows = await this.dataSource.query<unknown[]>(
      `DELETE FROM ${S}.record_versions v USING ${S}.uploads u
        WHERE u.record_id = v.record_id AND u.version = v.version
          AND v.status = 'awaiting-content' AND u.expires_at < now()
        RETURNING v.record_id`,
    );
    return rows.length;
  }
}
