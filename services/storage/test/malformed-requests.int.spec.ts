import { randomUUID } from 'node:crypto';

import { ErrorCode, natsContracts as c } from '@sec-health/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { participant } from './support/participants.js';
import { buildRecord } from './support/record-builder.js';
import { dataOf, errorOf, put } from './support/record-steps.js';
import { setupStorageEnv, type StorageEnv } from './support/storage-env.js';

// Requests the gateway should never have sent, straight on NATS: a malformed body is refused as
// VALIDATION_FAILED (never INTERNAL), a request without an actor as UNAUTHENTICATED.

let env: StorageEnv;
const patient = participant('patient');

beforeAll(async () => {
  env = await setupStorageEnv();
  env.standIns.add(patient);
});

afterAll(async () => {
  await env?.close();
});

function record(author = patient) {
  return buildRecord({ patient, author, emergency: env.emergency.set });
}

it('answers a malformed body with VALIDATION_FAILED, never INTERNAL', async () => {
  const { request } = await record(patient);
  const bodies: unknown[] = [
    {},
    { signed: 'x', keys: [], shares: [] },
    { ...request, extra: true },
    { ...request, keys: request.keys.map((k) => ({ ...k, wrappedKey: 'short' })) },
    {
      ...request,
      signed: { ...request.signed, metadata: { ...request.signed.metadata, size: -1 } },
    },
    [],
    null,
  ];
  for (const body of bodies) {
    const error = errorOf(await env.request(c.recordPut.subject, body, patient.actor));
    expect(error.code).toBe(ErrorCode.ValidationFailed);
  }
  const notJson = (await env.requestRaw(c.recordPut.subject, '{not json')) as {
    ok: boolean;
    error: { code: string };
  };
  expect(notJson.error.code).toBe(ErrorCode.ValidationFailed);
});

it('answers malformed bodies on the other subjects with VALIDATION_FAILED too', async () => {
  const { request } = await record(patient);
  const ticket = dataOf(await put(env, patient.actor, request));
  const { recordId } = request.signed.metadata;
  const requests: [string, unknown][] = [
    [c.uploadChunk.subject, { uploadId: ticket.uploadId, index: 0, data: 'A' }],
    [c.uploadChunk.subject, { uploadId: ticket.uploadId, index: 0, data: 'not base64!' }],
    [c.uploadChunk.subject, { uploadId: ticket.uploadId, index: -1, data: 'AA' }],
    [c.uploadComplete.subject, { uploadId: 'not-a-uuid' }],
    [c.recordGet.subject, { recordId, version: 0 }],
    [c.contentRead.subject, { recordId, version: 1, offset: 0, length: 0 }],
    [c.recordList.subject, { patientId: patient.resolved.id, limit: 1_000 }],
    [c.recordHistory.subject, { recordId: 'x' }],
    [c.recordVerify.subject, { recordId, extra: 1 }],
  ];
  for (const [subject, body] of requests) {
    const error = errorOf(await env.request(subject, body, patient.actor));
    expect({ subject, code: error.code }).toEqual({ subject, code: ErrorCode.ValidationFailed });
  }
});

it('answers every storage subject without an assertion, or one for nobody, with UNAUTHENTICATED', async () => {
  const { request } = await record(patient);
  const recordId = request.signed.metadata.recordId;
  const uploadId = randomUUID();
  const requests: [string, unknown][] = [
    [c.recordPut.subject, request],
    [c.uploadChunk.subject, { uploadId, index: 0, data: 'AA' }],
    [c.uploadComplete.subject, { uploadId }],
    [c.recordGet.subject, { recordId }],
    [c.contentRead.subject, { recordId, version: 1, offset: 0, length: 10 }],
    [c.recordList.subject, { patientId: patient.resolved.id }],
    [c.recordHistory.subject, { recordId }],
    [c.recordVerify.subject, { recordId }],
  ];
  for (const [subject, body] of requests) {
    expect(errorOf(await env.request(subject, body)).code).toBe(ErrorCode.Unauthenticated);
    // The gateway's genuine assertion, but for nobody logged in.
    expect(errorOf(await env.request(subject, body, 'anonymous')).code).toBe(
      ErrorCode.Unauthenticated,
    );
  }
});
