import { createHash, type Hash } from 'node:crypto';

import {
  errorReply,
  natsContracts as c,
  okReply,
  ProtocolError,
  type ReadContentRequest,
  type RecordVersionRequest,
  type Reply,
  type UploadChunkRequest,
} from '@sec-health/protocol';

import { recordAccess, recordVersion } from './sample-outputs.js';
import type { Answer, Received, StandInServices } from './stand-in-services.js';

export interface SeenChunk {
  readonly index: number;
  /** Decoded length of its data. */
  readonly bytes: number;
}

interface Upload {
  readonly chunks: SeenChunk[];
  readonly hash: Hash;
  received: number;
  completed: boolean;
}

export interface StoredContent {
  readonly content: Buffer;
  /** What storage.record.get answers instead of the readable, verified version. */
  readonly recordGet?: Reply<never>;
  /** content.read at this offset answers an error (a storage node failing mid-stream). */
  readonly failReadAt?: number;
}

/** The SHA-256 of `bytes` as the protocol writes it (0x-prefixed lowercase hex). */
export function sha256Hex(bytes: Uint8Array): string {
  return `0x${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * Plays the storage service's content subjects on top of a StandInServices (other subjects keep
 * its answers): every `storage.upload.chunk` is recorded (index, decoded length, running SHA-256)
 * and answered with UploadProgress, `storage.upload.complete` with a RecordVersion of what
 * arrived; `storage.record.get` and `storage.content.read` serve the contents given to `store`.
 */
export class StandInStorage {
  /** An error to answer for a chunk instead of its progress; undefined lets it through. */
  failChunk: (chunk: UploadChunkRequest) => Reply<never> | undefined = () => undefined;
  private readonly uploads = new Map<string, Upload>();
  private readonly stored = new Map<string, StoredContent>();
  private readonly readOffsets = new Map<string, number[]>();

  constructor(standIn: StandInServices) {
    const others = standIn.respond;
    standIn.respond = (received) => this.answer(received) ?? others(received);
  }

  /** The chunks received for `uploadId`, in arrival order. */
  chunks(uploadId: string): readonly SeenChunk[] {
    return this.uploads.get(uploadId)?.chunks ?? [];
  }

  /** SHA-256 of the bytes received for `uploadId`, in arrival order. */
  sha256(uploadId: string): string {
    const upload = this.uploads.get(uploadId);
    return `0x${(upload?.hash ?? createHash('sha256')).copy().digest('hex')}`;
  }

  completed(uploadId: string): boolean {
    return this.uploads.get(uploadId)?.completed ?? false;
  }

  /** Serves `content` as version 1 of `recordId`. */
  store(recordId: string, content: StoredContent): void {
    this.stored.set(recordId, content);
  }

  /** The offsets storage.content.read was asked for, for `recordId`. */
  reads(recordId: string): readonly number[] {
    return this.readOffsets.get(recordId) ?? [];
  }

  private answer({ subject, payload }: Received): Answer | undefined {
    switch (subject) {
      case c.uploadChunk.subject:
        return this.chunk(payload as UploadChunkRequest);
      case c.uploadComplete.subject:
        return this.complete((payload as { uploadId: string }).uploadId);
      case c.recordGet.subject:
        return this.recordGet(payload as RecordVersionRequest);
      case c.contentRead.subject:
        return this.read(payload as ReadContentRequest);
      default:
        return undefined;
    }
  }

  private chunk(chunk: UploadChunkRequest): Answer {
    const upload = this.uploadOf(chunk.uploadId);
    const data = Buffer.from(chunk.data, 'base64url');
    upload.chunks.push({ index: chunk.index, bytes: data.length });
    const failure = this.failChunk(chunk);
    if (failure) return failure;
    upload.hash.update(data);
    upload.received += data.length;
    return okReply({ uploadId: chunk.uploadId, receivedBytes: upload.received });
  }

  private complete(uploadId: string): Answer {
    const upload = this.uploadOf(uploadId);
    upload.completed = true;
    return okReply(recordVersion({ size: upload.received, ciphertextHash: this.sha256(uploadId) }));
  }

  private recordGet({ recordId, version }: RecordVersionRequest): Answer | undefined {
    const stored = this.stored.get(recordId);
    if (!stored) return undefined;
    if (stored.recordGet) return stored.recordGet;
    return okReply(
      recordAccess({
        recordId,
        version: version ?? 1,
        size: stored.content.length,
        ciphertextHash: sha256Hex(stored.content),
      }),
    );
  }

  private read({ recordId, offset, length }: ReadContentRequest): Answer | undefined {
    const stored = this.stored.get(recordId);
    if (!stored) return undefined;
    const offsets = this.readOffsets.get(recordId) ?? [];
    this.readOffsets.set(recordId, [...offsets, offset]);
    if (offset === stored.failReadAt) {
      return errorReply(new ProtocolError('INTERNAL', 'storage node failed'));
    }
    const end = Math.min(offset + length, stored.content.length);
    return okReply({
      data: stored.content.subarray(offset, end).toString('base64url'),
      eof: end === stored.content.length,
    });
  }

  private uploadOf(uploadId: string): Upload {
    let upload = this.uploads.get(uploadId);
    if (!upload) {
      upload = { chunks: [], hash: createHash('sha256'), received: 0, completed: false };
      this.uploads.set(uploadId, upload);
    }
    return upload;
  }
}
