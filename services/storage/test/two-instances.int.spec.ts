import { randomBytes } from '@sec-health/crypto';
import { CONTENT_CHUNK_SIZE } from '@sec-health/content-address';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { participant } from './support/participants.js';
import { buildRecord } from './support/record-builder.js';
import {
  awaitVerified,
  dataOf,
  eventually,
  getRecord,
  readContent,
  storeRecord,
} from './support/record-steps.js';
import { setupStorageEnv, type StorageEnv, type StorageInstance } from './support/storage-env.js';

// Two instances of storage on one database schema, each with its own IPFS node, in one NATS queue
// group: a record stored through whichever instance took the upload is served by both, the other
// fetching the blocks over bitswap from the peer it found in the ipfs_peers table.

let env: StorageEnv;
const patient = participant('patient');

beforeAll(async () => {
  env = await setupStorageEnv();
  env.standIns.add(patient);
  await env.startInstance();
  // Each instance registers its IPFS node; the second one dials the first at its start.
  await eventually(async () => {
    const rows = await env.sql<{ count: string }>('SELECT count(*) FROM storage.ipfs_peers');
    return Number(rows[0]!.count) === 2 ? true : undefined;
  });
});

afterAll(async () => {
  await env?.close();
});

it('serves a record stored through one instance from either, the other fetching it over IPFS', async () => {
  const built = await buildRecord({
    patient,
    author: patient,
    emergency: env.emergency.set,
    plaintext: randomBytes(CONTENT_CHUNK_SIZE * 2 + 5_000),
  });
  const { recordId, cid } = built.request.signed.metadata;
  await storeRecord(env, patient.actor, built);

  // Only the instance that completed the upload holds the content pinned.
  const held = await Promise.all(env.instances.map((i) => i.storage.runtime.content.has(cid)));
  expect(held.filter(Boolean)).toHaveLength(1);
  const holder = env.instances[held.indexOf(true)]!;
  const other = env.instances[held.indexOf(false)]!;

  await awaitVerified(env, patient.actor, recordId);
  // Requests land on either instance: the content arrives every time.
  for (let i = 0; i < 6; i++) {
    const access = dataOf(await getRecord(env, patient.actor, recordId));
    expect(access.integrity.status).toBe('verified');
    expect((await readContent(env, patient.actor, recordId, 1)).equals(built.ciphertext)).toBe(
      true,
    );
  }

  // The holder stops answering NATS (its IPFS node stays up): every read now goes to the other.
  await holder.storage.app.close();
  const before = requestsServedBy(other);
  const access = dataOf(await getRecord(env, patient.actor, recordId));
  expect(access.integrity.status).toBe('verified');
  expect(access.integrity.contentMatchesAnchor).toBe(true);
  expect((await readContent(env, patient.actor, recordId, 1)).equals(built.ciphertext)).toBe(true);
  expect(requestsServedBy(other)).toBeGreaterThan(before);
  // Fetched blocks are cached, not pinned: the other instance still does not claim to hold it.
  expect(await other.storage.runtime.content.has(cid)).toBe(false);
});

function requestsServedBy(instance: StorageInstance): number {
  return instance.logLines.filter((line) => line.msg === 'request' && line.outcome === 'ok').length;
}
