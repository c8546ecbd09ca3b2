import { fromBase64Url, toBase64Url } from '@sec-health/crypto';
import {
  CONTENT_CHUNK_BYTES,
  natsContracts as c,
  type ErrorBody,
  type PutRecordRequest,
  type RecordAccess,
  type RecordVersion,
  type Reply,
  type UploadTicket,
  type VerifyReport,
} from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';

import type { BuiltRecord } from './record-builder.js';
import type { StorageEnv } from './storage-env.js';

// The steps a gateway forwards for a client, straight on NATS, each answered as a Reply.

/** The data of an ok reply; anything else fails the test with the error it carried. */
export function dataOf<T>(reply: Reply<T>): T {
  if (!reply.ok) throw new Error(`expected ok, got ${reply.error.code}: ${reply.error.message}`);
  return reply.data;
}

/** The error of a failed reply; an ok reply fails the test. */
export function errorOf(reply: Reply<unknown>): ErrorBody {
  if (reply.ok) throw new Error(`expected an error, got ok: ${JSON.stringify(reply.data)}`);
  return reply.error;
}

export function put(env: StorageEnv, actor: Actor, request: PutRecordRequest) {
  return env.request<UploadTicket>(c.recordPut.subject, request, actor);
}

export function sendChunk(
  env: StorageEnv,
  actor: Actor,
  uploadId: string,
  index: number,
  data: Uint8Array,
) {
  return env.request<{ uploadId: string; receivedBytes: number }>(
    c.uploadChunk.subject,
    { uploadId, index, data: toBase64Url(data) },
    actor,
  );
}

/** Sends `content` in CONTENT_CHUNK_BYTES pieces; the first failed reply is returned as is. */
export async function sendContent(
  env: StorageEnv,
  actor: Actor,
  uploadId: string,
  content: Uint8Array,
): Promise<Reply<unknown>> {
  let last: Reply<unknown> = { ok: true, data: null };
  for (let index = 0; index * CONTENT_CHUNK_BYTES < content.length; index++) {
    const start = index * CONTENT_CHUNK_BYTES;
    last = await sendChunk(
      env,
      actor,
      uploadId,
      index,
      content.subarray(start, start + CONTENT_CHUNK_BYTES),
    );
    if (!last.ok) return last;
  }
  return last;
}

export function complete(env: StorageEnv, actor: Actor, uploadId: string) {
  return env.request<RecordVersion>(c.uploadComplete.subject, { uploadId }, actor);
}

/** Announce, upload, complete: the stored version. */
export async function storeRecord(
  env: StorageEnv,
  actor: Actor,
  built: BuiltRecord,
): Promise<RecordVersion> {
  const ticket = dataOf(await put(env, actor, built.request));
  dataOf(await sendContent(env, actor, ticket.uploadId, built.ciphertext));
  return dataOf(await complete(env, actor, ticket.uploadId));
}

export function getRecord(env: StorageEnv, actor: Actor, recordId: string, version?: number) {
  return env.request<RecordAccess>(
    c.recordGet.subject,
    { recordId, ...(version === undefined ? {} : { version }) },
    actor,
  );
}

export function verifyRecord(env: StorageEnv, actor: Actor, recordId: string, version?: number) {
  return env.request<VerifyReport>(
    c.recordVerify.subject,
    { recordId, ...(version === undefined ? {} : { version }) },
    actor,
  );
}

export function readRange(
  env: StorageEnv,
  actor: Actor,
  range: { recordId: string; version: number; offset: number; length: number },
) {
  return env.request<{ data: string; eof: boolean }>(c.contentRead.subject, range, actor);
}

/** The whole ciphertext, read in `pieceLength` ranges until eof. */
export async function readContent(
  env: StorageEnv,
  actor: Actor,
  recordId: string,
  version: number,
  pieceLength = CONTENT_CHUNK_BYTES,
): Promise<Buffer> {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const piece = dataOf(
      await readRange(env, actor, { recordId, version, offset, length: pieceLength }),
    );
    const bytes = fromBase64Url('data', piece.data);
    parts.push(Buffer.from(bytes));
    offset += bytes.length;
    if (piece.eof) return Buffer.concat(parts);
    if (bytes.length === 0) throw new Error(`content.read made no progress at offset ${offset}`);
  }
}

/** Polls record.get until the version's anchor is confirmed on chain and the integrity verified. */
export async function awaitVerified(
  env: StorageEnv,
  actor: Actor,
  recordId: string,
  version?: number,
): Promise<RecordAccess> {
  return eventually(async () => {
    const access = dataOf(await getRecord(env, actor, recordId, version));
    return access.record.anchor.status === 'confirmed' && access.integrity.status === 'verified'
      ? access
      : undefined;
  });
}

/** Polls `check` until it returns a value (not undefined), for at most `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
