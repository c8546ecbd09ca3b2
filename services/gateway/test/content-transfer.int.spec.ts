import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

import {
  CONTENT_CHUNK_BYTES,
  ErrorBodySchema,
  errorReply,
  MAX_RECORD_CIPHERTEXT_BYTES,
  natsContracts as c,
  ProtocolError,
  RecordVersion,
  type ErrorCode,
  type Role,
} from '@sec-health/protocol';
import type { SecureTestNats } from '@sec-health/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { privateNats } from './support/private-nats.js';
import { StandInServices } from './support/stand-in-services.js';
import { sha256Hex, StandInStorage } from './support/stand-in-storage.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

// The two binary routes (services/gateway/src/http/content-transfer.ts): an upload streamed to the
// storage service in CONTENT_CHUNK_BYTES pieces, a download streamed back from it.

const MiB = 1024 * 1024;
let nats: SecureTestNats;
let standIn: StandInServices;
let storage: StandInStorage;
let gw: TestGateway;

beforeAll(async () => {
  nats = await privateNats();
  gw = await startTestGateway(nats);
  standIn = await StandInServices.start(nats, gw.publicKey);
  storage = new StandInStorage(standIn);
});

afterAll(async () => {
  await gw?.stop();
  await standIn?.stop();
  await nats?.stop();
});

const actorOf = (role: Role) => ({ id: randomUUID(), role, organizationId: randomUUID() });
const tokenOf = (role: Role) => gw.token(actorOf(role));

interface Sent {
  readonly response: Response;
  readonly requestId: string;
}

/** PUT /v1/uploads/{uploadId}/content with `body` as application/octet-stream. */
async function upload(
  uploadId: string,
  body: Uint8Array | ReadableStream<Uint8Array>,
  token?: string,
): Promise<Sent> {
  const requestId = `upload-${randomUUID()}`;
  const response = await fetch(`${gw.baseUrl}/v1/uploads/${uploadId}/content`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/octet-stream',
      'x-request-id': requestId,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body,
    // A stream body has no length: fetch sends it chunked.
    ...(body instanceof ReadableStream ? { duplex: 'half' as const } : {}),
  });
  return { response, requestId };
}

/** GET /v1/records/{recordId}/versions/{version}/content. */
async function download(recordId: string, token?: string, version = '1'): Promise<Sent> {
  const requestId = `download-${randomUUID()}`;
  const response = await fetch(`${gw.baseUrl}/v1/records/${recordId}/versions/${version}/content`, {
    headers: {
      'x-request-id': requestId,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  return { response, requestId };
}

interface Exchanged {
  readonly status: number;
  readonly body: Buffer;
}

/** One request on `agent`'s connections (node:http: fetch cannot be told which connection to use). */
function exchange(
  agent: Agent,
  method: string,
  path: string,
  token: string,
  { body }: { body?: Buffer } = {},
): Promise<Exchanged> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body) headers['content-type'] = 'application/octet-stream';
    const req = request(`${gw.baseUrl}${path}`, { method, agent, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The response is the typed JSON error body with this status and code, for this request. */
async function expectError(sent: Sent, status: number, code: ErrorCode): Promise<void> {
  expect(sent.response.status).toBe(status);
  expect(sent.response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = ErrorBodySchema.parse(await sent.response.json());
  expect(body.code).toBe(code);
  expect(body.requestId).toBe(sent.requestId);
}

/** A body without a length that yields `piece`-byte pieces until `total` bytes, or until cancelled. */
function growingBody(total: number, piece: number): ReadableStream<Uint8Array> {
  let sent = 0;
  const bytes = new Uint8Array(randomBytes(piece));
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) {
        controller.close();
        return;
      }
      const n = Math.min(piece, total - sent);
      controller.enqueue(bytes.slice(0, n));
      sent += n;
    },
  });
}

describe('upload: PUT /v1/uploads/{uploadId}/content', () => {
  it('sends 1.3 MiB as chunks 0, 1, 2 of 512 KiB, 512 KiB and the rest, in order and intact', async () => {
    const uploadId = randomUUID();
    const content = randomBytes(Math.round(1.3 * MiB));
    const uploader = actorOf('collaborator');
    const sent = await upload(uploadId, content, await gw.token(uploader));

    expect(sent.response.status).toBe(200);
    const version = RecordVersion.parse(await sent.response.json());
    expect(storage.chunks(uploadId)).toEqual([
      { index: 0, bytes: CONTENT_CHUNK_BYTES },
      { index: 1, bytes: CONTENT_CHUNK_BYTES },
      { index: 2, bytes: content.length - 2 * CONTENT_CHUNK_BYTES },
    ]);
    expect(content.length - 2 * CONTENT_CHUNK_BYTES).toBe(314_573);
    expect(storage.sha256(uploadId)).toBe(sha256Hex(content));
    expect(storage.completed(uploadId)).toBe(true);
    // What the storage service answered at the end is what the client gets.
    expect(version.signed.metadata.size).toBe(content.length);
    expect(version.signed.metadata.ciphertextHash).toBe(sha256Hex(content));

    // Every piece, then the completion, went as the uploader (the gateway's signed assertion).
    const requests = standIn.withRequestId(sent.requestId);
    expect(requests.map((r) => r.subject)).toEqual([
      c.uploadChunk.subject,
      c.uploadChunk.subject,
      c.uploadChunk.subject,
      c.uploadComplete.subject,
    ]);
    for (const request of requests) {
      expect(request.caller).toEqual({ actor: { ...uploader, keyVersion: 1 }, via: undefined });
    }
    expect(requests.at(-1)!.payload).toEqual({ uploadId });
  });

  it('an exact multiple of the chunk size ends with a full chunk, and no empty one', async () => {
    const uploadId = randomUUID();
    const content = randomBytes(2 * CONTENT_CHUNK_BYTES);
    const sent = await upload(uploadId, content, await tokenOf('patient'));
    expect(sent.response.status).toBe(200);
    expect(storage.chunks(uploadId)).toEqual([
      { index: 0, bytes: CONTENT_CHUNK_BYTES },
      { index: 1, bytes: CONTENT_CHUNK_BYTES },
    ]);
    expect(storage.sha256(uploadId)).toBe(sha256Hex(content));
  });

  it('needs a token: 401, and nothing reaches storage', async () => {
    const uploadId = randomUUID();
    const sent = await upload(uploadId, randomBytes(1000));
    await expectError(sent, 401, 'UNAUTHENTICATED');
    expect(standIn.withRequestId(sent.requestId)).toEqual([]);
  });

  it.each(['attendant', 'research', 'org-admin', 'authority'] as const)(
    'needs an author role: 403 for %s, and nothing reaches storage',
    async (role) => {
      const uploadId = randomUUID();
      const sent = await upload(uploadId, randomBytes(1000), await tokenOf(role));
      await expectError(sent, 403, 'FORBIDDEN');
      expect(standIn.withRequestId(sent.requestId)).toEqual([]);
    },
  );

  it('a malformed upload id → 400, and nothing reaches storage', async () => {
    const sent = await upload('not-a-uuid', randomBytes(1000), await tokenOf('patient'));
    await expectError(sent, 400, 'VALIDATION_FAILED');
    expect(standIn.withRequestId(sent.requestId)).toEqual([]);
  });

  it('32 MiB + 1 byte with its Content-Length → 413 before any chunk is sent', async () => {
    const uploadId = randomUUID();
    // fetch sends a byte-array body with its Content-Length.
    const sent = await upload(
      uploadId,
      new Uint8Array(MAX_RECORD_CIPHERTEXT_BYTES + 1),
      await tokenOf('patient'),
    );
    await expectError(sent, 413, 'PAYLOAD_TOO_LARGE');
    expect(storage.chunks(uploadId)).toEqual([]);
    expect(storage.completed(uploadId)).toBe(false);
  });

  it('a chunked body (no length) growing past 32 MiB → 413, at most 64 chunks sent, never completed', async () => {
    const uploadId = randomUUID();
    const body = growingBody(MAX_RECORD_CIPHERTEXT_BYTES + 2 * MiB, MiB);
    const sent = await upload(uploadId, body, await tokenOf('collaborator'));
    await expectError(sent, 413, 'PAYLOAD_TOO_LARGE');
    const chunks = storage.chunks(uploadId);
    expect(chunks.length).toBeLessThanOrEqual(MAX_RECORD_CIPHERTEXT_BYTES / CONTENT_CHUNK_BYTES);
    expect(chunks.map((chunk) => chunk.index)).toEqual(chunks.map((_chunk, i) => i));
    expect(storage.completed(uploadId)).toBe(false);
  });

  it('exactly 32 MiB without a length is accepted: 64 chunks', async () => {
    const uploadId = randomUUID();
    const body = growingBody(MAX_RECORD_CIPHERTEXT_BYTES, MiB);
    const sent = await upload(uploadId, body, await tokenOf('collaborator'));
    expect(sent.response.status).toBe(200);
    expect(storage.chunks(uploadId)).toHaveLength(64);
    expect(storage.completed(uploadId)).toBe(true);
  });

  it.each([
    ['the only chunk', 1000, 0],
    ['a chunk mid-stream', Math.round(1.3 * MiB), 1],
  ])(
    "storage refusing %s (CONFLICT) → 409 with storage's error, and the connection serves the next request",
    async (_name, size, failingIndex) => {
      const uploadId = randomUUID();
      const previous = storage.failChunk;
      storage.failChunk = (chunk) =>
        chunk.uploadId === uploadId && chunk.index === failingIndex
          ? errorReply(new ProtocolError('CONFLICT', 'chunk out of order'))
          : undefined;
      // One kept-alive connection of its own, reused on purpose for the request after.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const token = await tokenOf('patient');
        const refused = await exchange(agent, 'PUT', `/v1/uploads/${uploadId}/content`, token, {
          body: randomBytes(size),
        });
        expect(refused.status).toBe(409);
        const body = ErrorBodySchema.parse(JSON.parse(refused.body.toString('utf8')));
        expect(body).toMatchObject({ code: 'CONFLICT', message: 'chunk out of order' });
        expect(storage.chunks(uploadId).map((chunk) => chunk.index)).toEqual(
          Array.from({ length: failingIndex + 1 }, (_v, i) => i),
        );
        expect(storage.completed(uploadId)).toBe(false);
        // A client's next request on the same connection is read and answered.
        expect((await exchange(agent, 'GET', '/v1/auth/whoami', token)).status).toBe(200);
      } finally {
        storage.failChunk = previous;
        agent.destroy();
      }
    },
  );
});

describe('download: GET /v1/records/{recordId}/versions/{version}/content', () => {
  it('streams exactly the stored bytes, with content-length and x-ciphertext-sha256', async () => {
    const recordId = randomUUID();
    const content = randomBytes(Math.round(1.2 * MiB));
    storage.store(recordId, { content });
    const reader = actorOf('research');
    const sent = await download(recordId, await gw.token(reader));

    expect(sent.response.status).toBe(200);
    expect(sent.response.headers.get('content-type')).toBe('application/octet-stream');
    expect(sent.response.headers.get('content-length')).toBe(String(content.length));
    expect(sent.response.headers.get('x-ciphertext-sha256')).toBe(sha256Hex(content));
    const received = Buffer.from(await sent.response.arrayBuffer());
    expect(received.length).toBe(content.length);
    expect(received.equals(content)).toBe(true);

    expect(storage.reads(recordId)).toEqual([0, CONTENT_CHUNK_BYTES, 2 * CONTENT_CHUNK_BYTES]);
    const requests = standIn.withRequestId(sent.requestId);
    expect(requests[0]).toMatchObject({
      subject: c.recordGet.subject,
      payload: { recordId, version: 1 },
    });
    expect(requests.slice(1).map((r) => r.payload)).toEqual(
      [0, 1, 2].map((i) => ({
        recordId,
        version: 1,
        offset: i * CONTENT_CHUNK_BYTES,
        length: CONTENT_CHUNK_BYTES,
      })),
    );
    for (const request of requests) {
      expect(request.caller).toEqual({ actor: { ...reader, keyVersion: 1 }, via: undefined });
    }
  });

  it.each([
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['INTEGRITY_MISMATCH', 409],
  ] as const)(
    'storage answering the version with %s → %i JSON, no content read',
    async (code, status) => {
      const recordId = randomUUID();
      storage.store(recordId, {
        content: randomBytes(1000),
        recordGet: errorReply(new ProtocolError(code, `stand-in says ${code}`)),
      });
      const sent = await download(recordId, await tokenOf('collaborator'));
      await expectError(sent, status, code);
      expect(storage.reads(recordId)).toEqual([]);
    },
  );

  it('a content read failing midway cuts the body short', async () => {
    const recordId = randomUUID();
    const content = randomBytes(Math.round(1.2 * MiB));
    storage.store(recordId, { content, failReadAt: CONTENT_CHUNK_BYTES });
    const sent = await download(recordId, await tokenOf('patient'));
    expect(sent.response.status).toBe(200);
    expect(sent.response.headers.get('content-length')).toBe(String(content.length));
    const outcome = await sent.response.arrayBuffer().then(
      (body) => body.byteLength,
      () => 'cut',
    );
    if (outcome !== 'cut') expect(outcome).toBeLessThan(content.length);
    expect(storage.reads(recordId)).toEqual([0, CONTENT_CHUNK_BYTES]);
  });

  it('needs a token: 401, and nothing reaches storage', async () => {
    const recordId = randomUUID();
    storage.store(recordId, { content: randomBytes(1000) });
    const sent = await download(recordId);
    await expectError(sent, 401, 'UNAUTHENTICATED');
    expect(standIn.withRequestId(sent.requestId)).toEqual([]);
  });

  it.each(['0', '-1', '1.5', 'latest'])('version %j → 400, nothing reaches storage', async (v) => {
    const recordId = randomUUID();
    const sent = await download(recordId, await tokenOf('patient'), v);
    await expectError(sent, 400, 'VALIDATION_FAILED');
    expect(standIn.withRequestId(sent.requestId)).toEqual([]);
  });
});
