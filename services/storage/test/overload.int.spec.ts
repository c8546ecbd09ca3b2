import { ErrorCode, healthContract, type Health } from '@sec-health/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { participant } from './support/participants.js';
import { buildRecord } from './support/record-builder.js';
import { dataOf, getRecord, storeRecord } from './support/record-steps.js';
import { setupStorageEnv, type StorageEnv } from './support/storage-env.js';

// A flood is answered at once: what exceeds the bound on concurrent and queued work gets a typed
// OVERLOADED, the rest is served, nothing else goes wrong, and health answers throughout.

const MAX_CONCURRENT = 2;
const MAX_QUEUED = 2;
let env: StorageEnv;
const patient = participant('patient');

beforeAll(async () => {
  env = await setupStorageEnv({
    MAX_CONCURRENT_REQUESTS: String(MAX_CONCURRENT),
    MAX_QUEUED_REQUESTS: String(MAX_QUEUED),
  });
  env.standIns.add(patient);
});

afterAll(async () => {
  await env?.close();
});

it('answers a flood of reads with OVERLOADED beyond its bound, and the rest in full', async () => {
  const built = await buildRecord({ patient, author: patient, emergency: env.emergency.set });
  const { recordId } = built.request.signed.metadata;
  await storeRecord(env, patient.actor, built);

  const flood = Array.from({ length: 200 }, () => getRecord(env, patient.actor, recordId));
  const health = env.request<Health>(healthContract('storage').subject, {}, 'anonymous');
  const replies = await Promise.all(flood);
  const codes = replies.map((reply) => (reply.ok ? 'ok' : reply.error.code));
  expect(codes.filter((code) => code === 'ok').length).toBeGreaterThanOrEqual(
    MAX_CONCURRENT + MAX_QUEUED,
  );
  expect(codes).toContain(ErrorCode.Overloaded);
  expect(codes.filter((code) => code !== 'ok' && code !== ErrorCode.Overloaded)).toEqual([]);
  expect(dataOf(await health).service).toBe('storage');
  // Served again once the flood is over.
  expect(dataOf(await getRecord(env, patient.actor, recordId)).record.signed).toEqual(
    built.request.signed,
  );
});
