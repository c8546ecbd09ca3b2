import { ErrorBodySchema, ProtocolError, RecordVersion } from '@sec-health/protocol';

import { ClientError, ClientErrorCode, gatewayUnreachable } from '../errors.js';
import type { FetchFunction } from './transport.js';

export interface ContentTransportOptions {
  readonly apiUrl: string;
  readonly fetch: FetchFunction;
  readonly token: string;
  /** For the whole transfer; large records take longer than a JSON call. Default 10 minutes. */
  readonly timeoutMs?: number;
  /** Bytes sent or received so far, and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

const PIECE = 256 * 1024;
const DEFAULT_TRANSFER_TIMEOUT_MS = 600_000;

/** Streams a version's ciphertext to the gateway (PUT /v1/uploads/{id}/content). */
export async function uploadContent(
  options: ContentTransportOptions,
  uploadId: string,
  ciphertext: Uint8Array,
): Promise<RecordVersion> {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= ciphertext.length) {
        controller.close();
        return;
      }
      const piece = ciphertext.subarray(sent, Math.min(ciphertext.length, sent + PIECE));
      sent += piece.length;
      controller.enqueue(piece);
      options.onProgress?.(sent, ciphertext.length);
    },
  });
  const signal = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TRANSFER_TIMEOUT_MS);
  let response: Response;
  try {
    response = await options.fetch(`${options.apiUrl}/v1/uploads/${uploadId}/content`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${options.token}`,
        'content-type': 'application/octet-stream',
        'content-length': String(ciphertext.length),
        accept: 'application/json',
      },
      body,
      signal,
      duplex: 'half',
    });
  } catch (error) {
    throw gatewayUnreachable(options.apiUrl, error, signal.aborted);
  }
  const json = await readJson(response);
  if (!response.ok) throw errorOf(options.apiUrl, response.status, json);
  const parsed = RecordVersion.safeParse(json);
  if (!parsed.success) throw unexpected(options.apiUrl, response.status);
  return parsed.data;
}

/** Streams a version's ciphertext from the gateway; the caller checks it before decrypting. */
export async function downloadContent(
  options: ContentTransportOptions,
  recordId: string,
  version: number,
): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TRANSFER_TIMEOUT_MS);
  let response: Response;
  try {
    response = await options.fetch(
      `${options.apiUrl}/v1/records/${recordId}/versions/${version}/content`,
      { headers: { authorization: `Bearer ${options.token}` }, signal },
    );
  } catch (error) {
    throw gatewayUnreachable(options.apiUrl, error, signal.aborted);
  }
  if (!response.ok) throw errorOf(options.apiUrl, response.status, await readJson(response));
  const total = Number(response.headers.get('content-length') ?? 0);
  const out = new Uint8Array(total);
  let received = 0;
  try {
    for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (received + piece.length > total) throw new Error('longer than announced');
      out.set(piece, received);
      received += piece.length;
      options.onProgress?.(received, total);
    }
  } catch (error) {
    throw new ClientError(
      ClientErrorCode.IntegrityFailed,
      `the download of ${recordId} v${version} broke off after ${received} of ${total} bytes: retry`,
      { received, total },
      { cause: error },
    );
  }
  if (received !== total) {
    throw new ClientError(
      ClientErrorCode.IntegrityFailed,
      `the download of ${recordId} v${version} ended after ${received} of ${total} bytes: retry`,
      { received, total },
    );
  }
  return out;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorOf(apiUrl: string, status: number, body: unknown): Error {
  const parsed = ErrorBodySchema.safeParse(body);
  return parsed.success ? ProtocolError.fromBody(parsed.data) : unexpected(apiUrl, status);
}

function unexpected(apiUrl: string, status: number): ClientError {
  return new ClientError(
    ClientErrorCode.UnexpectedResponse,
    `the server at ${apiUrl} answered a content transfer with HTTP ${status} and no Sec-Health body`,
    { apiUrl, status },
  );
}
