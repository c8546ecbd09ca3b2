import { createHash } from 'node:crypto';

import { fromBase64Url, verifyCanonicalEncoded } from '@sec-health/crypto';
import {
  CONTENT_CHUNK_BYTES,
  domainEvents,
  ErrorCode,
  ProtocolError,
  recordMetadataStatement,
  type RecordVersion,
  type UploadChunkRequest,
} from '@sec-health/protocol';
import { requireActor, type Actor } from '@sec-health/service-kit';
import { Inject, Injectable } from '@nestjs/common';

import type { RecordVersionRow, UploadRow } from '../records/record-rows.js';
import { conflict, notFound } from '../records/record-errors.js';
import { RecordsService } from '../records/records.service.js';
import { CONTEXT, type StorageContext } from '../runtime/runtime.js';

/**
 * A record's ciphertext arrives in order, in chunks of CONTENT_CHUNK_BYTES, staged in the
 * database (any instance may take any chunk), then streamed once into this instance's IPFS node
 * while it is hashed. Only content whose size, SHA-256 and CID are the ones the author signed is
 * kept and anchored.
 */
@Injectable()
export class UploadsService {
  constructor(
    @Inject(CONTEXT) private readonly context: StorageContext,
    private readonly records: RecordsService,
  ) {}

  private get runtime() {
    return this.context.runtime;
  }

  async chunk(actor: Actor | undefined, request: UploadChunkRequest) {
    const who = requireActor(actor);
    const data = decodeChunk(request.data);
    const { records } = this.runtime;
    return records.transaction(async (m) => {
      const upload = await this.ownUpload(who, await records.lockUpload(m, request.uploadId));
      const row = (await records.findVersion(upload.recordId, upload.version, m))!;
      // A retried chunk (its reply was lost) is acknowledged, not stored twice.
      if (request.index === upload.nextIndex - 1 && request.index >= 0) {
        return { uploadId: upload.uploadId, receivedBytes: upload.receivedBytes };
      }
      if (request.index !== upload.nextIndex) {
        throw conflict(
          `expected chunk ${upload.nextIndex}, got ${request.index}`,
          'CHUNK_OUT_OF_ORDER',
        );
      }
      const remaining = row.size - upload.receivedBytes;
      const expected = Math.min(CONTENT_CHUNK_BYTES, remaining);
      if (data.length > remaining) {
        throw new ProtocolError(
          ErrorCode.PayloadTooLarge,
          `the content is longer than the ${row.size} bytes the metadata signs`,
        );
      }
      if (data.length !== expected) {
        throw new ProtocolError(
          ErrorCode.ValidationFailed,
          `chunk ${request.index} must be ${expected} bytes, got ${data.length}`,
        );
      }
      const receivedBytes = await records.appendChunk(m, upload, data);
      return { uploadId: upload.uploadId, receivedBytes };
    });
  }

  async complete(actor: Actor | undefined, uploadId: string): Promise<RecordVersion> {
    const who = requireActor(actor);
    const { records } = this.runtime;
    const upload = await records.transaction(async (m) =>
      this.ownUpload(who, await records.lockUpload(m, uploadId)),
    );
    const row = (await records.findVersion(upload.recordId, upload.version))!;
    if (upload.receivedBytes !== row.size) {
      throw new ProtocolError(
        ErrorCode.ValidationFailed,
        `the content is ${upload.receivedBytes} bytes so far; the metadata signs ${row.size}`,
        { reason: 'CONTENT_INCOMPLETE' },
      );
    }
    await this.assertStillSigned(row);
    const hash = createHash('sha256');
    const added = await this.runtime.content.add(
      tap(records.chunksOf(uploadId, upload.nextIndex), (chunk) => hash.update(chunk)),
    );
    const digest = `0x${hash.digest('hex')}`;
    if (
      digest !== row.metadata.ciphertextHash ||
      added.cid !== row.cid ||
      added.size !== row.size
    ) {
      // The same bytes may be another version's stored content (one CID, one pin): keep it then.
      if (!(await records.isStoredCid(added.cid))) await this.runtime.content.unpin(added.cid);
      await records.transaction((m) => records.dropAnnounced(m, row.recordId, row.version));
      throw new ProtocolError(
        ErrorCode.ValidationFailed,
        'the content does not match the signed metadata (hash, CID or size): the version is discarded',
        { reason: 'CONTENT_MISMATCH' },
      );
    }
    const stored = await records.transaction(async (m) => {
      const current = await records.findVersion(row.recordId, row.version, m);
      if (!current || current.status === 'stored') return current;
      const outboxId = await RecordsService.enqueueAnchor(m, row);
      await records.markStored(m, row.recordId, row.version, outboxId);
      return records.findVersion(row.recordId, row.version, m);
    });
    if (!stored) throw notFound('the version was discarded meanwhile');
    this.context.events.publish(domainEvents.recordStored, {
      recordId: row.recordId,
      version: row.version,
      patientId: row.patientId,
      authorId: row.authorId,
      category: row.category,
      at: new Date().toISOString(),
    });
    return this.records.view(stored);
  }

  /**
   * What is anchored is what the author signed: the stored metadata must still verify with the
   * author's key as the directory has it now (not only with the key stored beside it), so a change
   * to the row between the announcement and the anchor is refused rather than anchored.
   */
  private async assertStillSigned(row: RecordVersionRow): Promise<void> {
    const author = (await this.context.reads.participants([row.authorId])).get(row.authorId);
    const unchanged =
      author !== undefined &&
      author.status === 'active' &&
      author.keyVersion === row.authorKeyVersion &&
      author.keys.signing === row.authorSigningKey &&
      verifyCanonicalEncoded(
        author.keys.signing,
        recordMetadataStatement(row.metadata),
        row.signature,
      );
    if (unchanged) return;
    const { records } = this.runtime;
    await records.transaction((m) => records.dropAnnounced(m, row.recordId, row.version));
    throw conflict(
      "the announcement no longer verifies with the author's current key: announce the version again",
      'AUTHOR_KEY_CHANGED',
    );
  }

  private async ownUpload(actor: Actor, upload: UploadRow | undefined): Promise<UploadRow> {
    if (!upload || upload.actorId !== actor.id) throw notFound('no such upload');
    if (upload.expiresAt.getTime() < Date.now()) throw notFound('the upload expired');
    return upload;
  }
}

/** The schema admits a length no base64url has (4n + 1 characters): refused here, not INTERNAL. */
function decodeChunk(text: string): Uint8Array {
  try {
    return fromBase64Url('data', text);
  } catch {
    throw new ProtocolError(ErrorCode.ValidationFailed, 'invalid chunk: data is not base64url', {
      issues: [{ path: 'data', problem: 'must be base64url without padding' }],
    });
  }
}

async function* tap(
  source: AsyncIterable<Uint8Array>,
  each: (chunk: Uint8Array) => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    each(chunk);
    yield chunk;
  }
}
