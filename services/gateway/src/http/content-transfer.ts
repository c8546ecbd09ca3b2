import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

import { toBase64Url, fromBase64Url } from '@sec-health/crypto';
import {
  CONTENT_CHUNK_BYTES,
  ErrorCode,
  MAX_RECORD_CIPHERTEXT_BYTES,
  natsContracts as c,
  ProtocolError,
  type RecordVersion,
} from '@sec-health/protocol';
import { runWithRequestContext } from '@sec-health/service-kit';

import type { ServiceClient } from '../nats/service-client.js';
import type { AuthenticatedRequest } from './authenticate.js';
import { requestIdOf, type RequestWithId } from './request-id.js';
import type { RouteDispatcher } from './route-dispatcher.js';

type ContentRequest = AuthenticatedRequest & RequestWithId & Readable;

/** The two binary routes, outside the JSON route table; access rules like the table's. */
export const contentRoutes = {
  upload: { id: 'records.upload', access: ['collaborator', 'patient'] },
  download: { id: 'records.download', access: 'authenticated' },
} as const;

/**
 * Record ciphertext through the gateway, streamed both ways: an upload is cut into
 * CONTENT_CHUNK_BYTES pieces sent to the storage service one at a time as they arrive (never
 * more than one piece in memory); a download asks the storage service for the version (which
 * checks access and integrity against the chain first), then streams its pieces out.
 */
export class ContentTransfer {
  constructor(
    private readonly services: ServiceClient,
    private readonly dispatcher: RouteDispatcher,
  ) {}

  /**
   * On any failure the rest of the body is read and dropped (not destroyed: that would reset the
   * socket before the error is written) and the connection closes after the answer, so a client
   * that was still sending sees the error, and a keep-alive socket is not left half-read.
   */
  async upload(req: ContentRequest, res: ServerResponse, uploadId: string): Promise<RecordVersion> {
    try {
      return await this.streamUpload(req, uploadId);
    } catch (error) {
      if (!res.headersSent) res.setHeader('connection', 'close');
      req.resume();
      throw error;
    }
  }

  private streamUpload(req: ContentRequest, uploadId: string): Promise<RecordVersion> {
    const requestId = requestIdOf(req);
    return runWithRequestContext({ requestId }, async () => {
      const actor = await this.dispatcher.authorize(contentRoutes.upload, req, requestId);
      const id = parseUuid('uploadId', uploadId);
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (declared > MAX_RECORD_CIPHERTEXT_BYTES) throw tooLarge();
      const context = { requestId, ...(actor ? { actor } : {}) };
      let index = 0;
      let total = 0;
      const send = async (piece: Uint8Array) => {
        await this.services.call(
          c.uploadChunk,
          { uploadId: id, index, data: toBase64Url(piece) },
          context,
        );
        index++;
      };
      let pending: Buffer = Buffer.alloc(0);
      // Leaving the loop early must not destroy the request (see upload).
      for await (const data of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        total += data.length;
        if (total > MAX_RECORD_CIPHERTEXT_BYTES) throw tooLarge();
        pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
        while (pending.length >= CONTENT_CHUNK_BYTES) {
          await send(pending.subarray(0, CONTENT_CHUNK_BYTES));
          pending = pending.subarray(CONTENT_CHUNK_BYTES);
        }
      }
      if (pending.length > 0) await send(pending);
      return this.services.call(c.uploadComplete, { uploadId: id }, context);
    });
  }

  download(req: ContentRequest, res: ServerResponse, recordId: string, version: string) {
    const requestId = requestIdOf(req);
    return runWithRequestContext({ requestId }, async () => {
      const actor = await this.dispatcher.authorize(contentRoutes.download, req, requestId);
      const context = { requestId, ...(actor ? { actor } : {}) };
      const id = parseUuid('recordId', recordId);
      const number = Number(version);
      if (!Number.isSafeInteger(number) || number < 1) {
        throw new ProtocolError(ErrorCode.ValidationFailed, 'version must be a positive integer');
      }
      const access = await this.services.call(
        c.recordGet,
        { recordId: id, version: number },
        context,
      );
      const { metadata } = access.record.signed;
      res.statusCode = 200;
      res.setHeader('content-type', 'application/octet-stream');
      res.setHeader('content-length', String(metadata.size));
      res.setHeader('x-ciphertext-sha256', metadata.ciphertextHash);
      res.setHeader('x-content-cid', metadata.cid);
      for (let offset = 0; offset < metadata.size; offset += CONTENT_CHUNK_BYTES) {
        let piece: Uint8Array;
        try {
          const chunk = await this.services.call(
            c.contentRead,
            { recordId: id, version: number, offset, length: CONTENT_CHUNK_BYTES },
            context,
          );
          piece = fromBase64Url('data', chunk.data);
          const expected = Math.min(CONTENT_CHUNK_BYTES, metadata.size - offset);
          if (piece.length !== expected) throw new Error('a piece of the wrong length');
        } catch {
          // Headers are out: the only honest signal left is a cut connection (short body).
          res.destroy();
          return;
        }
        if (!res.write(piece)) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
    });
  }
}

function parseUuid(name: string, value: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new ProtocolError(ErrorCode.ValidationFailed, `${name} must be a UUID`);
  }
  return value.toLowerCase();
}

function tooLarge(): ProtocolError {
  return new ProtocolError(
    ErrorCode.PayloadTooLarge,
    `a record's content may be at most ${MAX_RECORD_CIPHERTEXT_BYTES} bytes (32 MiB)`,
  );
}
