import { randomUUID } from 'node:crypto';

import { decryptRecord, fromBase64Url, randomBytes, unwrapKey } from '@sec-health/crypto';
import { computeContentCid } from '@sec-health/content-address';
import { CONTENT_CHUNK_BYTES, ErrorCode, natsContracts as c } from '@sec-health/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { participant } from './support/participants.js';
import {
  buildRecord,
  recordKeyContext,
  wrapTo,
  type BuiltRecord,
} from './support/record-builder.js';
import {
  awaitVerified,
  complete,
  dataOf,
  errorOf,
  getRecord,
  put,
  readContent,
  readRange,
  sendChunk,
  sendContent,
  storeRecord,
  verifyRecord,
} from './support/record-steps.js';
import { setupStorageEnv, type StorageEnv } from './support/storage-env.js';

let env: StorageEnv;
const patient = participant('patient');
const stranger = participant('collaborator');

beforeAll(async () => {
  env = await setupStorageEnv();
  env.standIns.add(patient, stranger);
});

afterAll(async () => {
  await env?.close();
});

/** A record of `size` plaintext bytes announced by the patient: its ticket's upload id. */
async function announced(size = 600): Promise<{ built: BuiltRecord; uploadId: string }> {
  const built = await buildRecord({
    patient,
    author: patient,
    emergency: env.emergency.set,
    plaintext: randomBytes(size),
  });
  const ticket = dataOf(await put(env, patient.actor, built.request));
  return { built, uploadId: ticket.uploadId };
}

describe('uploading content', () => {
  it('takes chunks in order only, and acknowledges a repeated chunk without storing it twice', async () => {
    const { built, uploadId } = await announced(CONTENT_CHUNK_BYTES + 1_000);
    const second = built.ciphertext.subarray(CONTENT_CHUNK_BYTES);
    const outOfOrder = errorOf(await sendChunk(env, patient.actor, uploadId, 1, second));
    expect(outOfOrder.code).toBe(ErrorCode.Conflict);
    expect(outOfOrder.details?.reason).toBe('CHUNK_OUT_OF_ORDER');

    const first = built.ciphertext.subarray(0, CONTENT_CHUNK_BYTES);
    expect(dataOf(await sendChunk(env, patient.actor, uploadId, 0, first)).receivedBytes).toBe(
      CONTENT_CHUNK_BYTES,
    );
    // The reply was lost; the client sends chunk 0 again.
    expect(dataOf(await sendChunk(env, patient.actor, uploadId, 0, first)).receivedBytes).toBe(
      CONTENT_CHUNK_BYTES,
    );
    dataOf(await sendChunk(env, patient.actor, uploadId, 1, second));
    dataOf(await complete(env, patient.actor, uploadId));
    const { recordId } = built.request.signed.metadata;
    expect((await readContent(env, patient.actor, recordId, 1)).equals(built.ciphertext)).toBe(
      true,
    );
  });

  it('refuses chunks longer or shorter than CONTENT_CHUNK_BYTES, and more than the signed size', async () => {
    const { built, uploadId } = await announced(CONTENT_CHUNK_BYTES + 1_000);
    const content = built.ciphertext;
    const tooLong = randomBytes(CONTENT_CHUNK_BYTES + 1);
    expect(errorOf(await sendChunk(env, patient.actor, uploadId, 0, tooLong)).code).toBe(
      ErrorCode.ValidationFailed,
    );
    const short = content.subarray(0, CONTENT_CHUNK_BYTES - 1);
    expect(errorOf(await sendChunk(env, patient.actor, uploadId, 0, short)).code).toBe(
      ErrorCode.ValidationFailed,
    );
    dataOf(
      await sendChunk(env, patient.actor, uploadId, 0, content.subarray(0, CONTENT_CHUNK_BYTES)),
    );
    const lastTooLong = randomBytes(content.length - CONTENT_CHUNK_BYTES + 1);
    expect(errorOf(await sendChunk(env, patient.actor, uploadId, 1, lastTooLong)).code).toBe(
      ErrorCode.PayloadTooLarge,
    );
    const lastTooShort = content.subarray(CONTENT_CHUNK_BYTES, content.length - 1);
    expect(errorOf(await sendChunk(env, patient.actor, uploadId, 1, lastTooShort)).code).toBe(
      ErrorCode.ValidationFailed,
    );
    const incomplete = errorOf(await complete(env, patient.actor, uploadId));
    expect(incomplete.code).toBe(ErrorCode.ValidationFailed);
    expect(incomplete.details?.reason).toBe('CONTENT_INCOMPLETE');
  });

  it('refuses content bigger than the signed size', async () => {
    const { built, uploadId } = await announced(600);
    const bigger = new Uint8Array(built.ciphertext.length + 1);
    bigger.set(built.ciphertext);
    expect(errorOf(await sendContent(env, patient.actor, uploadId, bigger)).code).toBe(
      ErrorCode.PayloadTooLarge,
    );
  });

  it('discards the version when the content does not hash to what was signed', async () => {
    const { built, uploadId } = await announced(600);
    const other = randomBytes(built.ciphertext.length);
    dataOf(await sendContent(env, patient.actor, uploadId, other));
    const error = errorOf(await complete(env, patient.actor, uploadId));
    expect(error.code).toBe(ErrorCode.ValidationFailed);
    expect(error.details?.reason).toBe('CONTENT_MISMATCH');

    const { recordId } = built.request.signed.metadata;
    expect(errorOf(await getRecord(env, patient.actor, recordId)).code).toBe(ErrorCode.NotFound);
    expect(
      errorOf(await env.request(c.recordHistory.subject, { recordId }, patient.actor)).code,
    ).toBe(ErrorCode.NotFound);
    expect(errorOf(await complete(env, patient.actor, uploadId)).code).toBe(ErrorCode.NotFound);
    expect(await env.storage.runtime.content.has(await computeContentCid([other]))).toBe(false);

    // The version is free again: the genuine content can be announced and stored.
    const again = dataOf(await put(env, patient.actor, built.request));
    expect(again.uploadId).not.toBe(uploadId);
    dataOf(await sendContent(env, patient.actor, again.uploadId, built.ciphertext));
    dataOf(await complete(env, patient.actor, again.uploadId));
  });

  it("leaves another record's content pinned when a mismatched upload carries that content", async () => {
    const victim = await buildRecord({ patient, author: patient, emergency: env.emergency.set });
    await storeRecord(env, patient.actor, victim);
    const { cid } = victim.request.signed.metadata;
    expect(await env.storage.runtime.content.has(cid)).toBe(true);

    // Announced with its own metadata, uploaded with the victim's ciphertext (same length).
    const { uploadId } = await announced(victim.plaintext.length);
    dataOf(await sendContent(env, patient.actor, uploadId, victim.ciphertext));
    expect(errorOf(await complete(env, patient.actor, uploadId)).details?.reason).toBe(
      'CONTENT_MISMATCH',
    );
    expect(await env.storage.runtime.content.has(cid)).toBe(true);
  });

  it('refuses chunks of an expired upload; the sweep drops it and frees the version', async () => {
    const { built, uploadId } = await announced(600);
    await env.sql(
      `UPDATE storage.uploads SET expires_at = now() - interval '1 minute' WHERE upload_id = $1`,
      [uploadId],
    );
    const error = errorOf(await sendChunk(env, patient.actor, uploadId, 0, built.ciphertext));
    expect(error.code).toBe(ErrorCode.NotFound);
    expect(error.message).toContain('expired');

    expect(await env.storage.runtime.records.dropExpiredUploads()).toBeGreaterThanOrEqual(1);
    const { recordId } = built.request.signed.metadata;
    expect(
      await env.sql('SELECT 1 FROM storage.record_versions WHERE record_id = $1', [recordId]),
    ).toEqual([]);
    const again = dataOf(await put(env, patient.actor, built.request));
    expect(again.uploadId).not.toBe(uploadId);
  });

  it("answers another actor's upload id, and an unknown one, with NOT_FOUND", async () => {
    const { built, uploadId } = await announced(600);
    const intruder = participant('patient');
    env.standIns.add(intruder);
    expect(errorOf(await sendChunk(env, intruder.actor, uploadId, 0, built.ciphertext)).code).toBe(
      ErrorCode.NotFound,
    );
    expect(errorOf(await complete(env, intruder.actor, uploadId)).code).toBe(ErrorCode.NotFound);
    expect(
      errorOf(await sendChunk(env, patient.actor, randomUUID(), 0, built.ciphertext)).code,
    ).toBe(ErrorCode.NotFound);

    // The owner's upload is untouched by those attempts.
    dataOf(await sendContent(env, patient.actor, uploadId, built.ciphertext));
    dataOf(await complete(env, patient.actor, uploadId));
    // Completed uploads are gone.
    expect(errorOf(await complete(env, patient.actor, uploadId)).code).toBe(ErrorCode.NotFound);
  });
});

describe('reading', () => {
  let built: BuiltRecord;
  let recordId: string;

  beforeAll(async () => {
    built = await buildRecord({ patient, author: patient, emergency: env.emergency.set });
    recordId = built.request.signed.metadata.recordId;
    await storeRecord(env, patient.actor, built);
    await awaitVerified(env, patient.actor, recordId);
  });

  it('refuses a stranger the sharing service denies, on every read', async () => {
    const range = { recordId, version: 1, offset: 0, length: 100 };
    for (const reply of [
      await getRecord(env, stranger.actor, recordId),
      await verifyRecord(env, stranger.actor, recordId),
      await readRange(env, stranger.actor, range),
    ]) {
      expect(errorOf(reply).code).toBe(ErrorCode.Forbidden);
    }
    expect(
      errorOf(await env.request(c.recordHistory.subject, { recordId }, stranger.actor)).code,
    ).toBe(ErrorCode.NotFound);
    expect(env.standIns.accessChecks).toContainEqual({
      actorId: stranger.resolved.id,
      patientId: patient.resolved.id,
      permission: 'read',
      category: 'allergies',
      recordId,
      version: 1,
    });
  });

  it('refuses a grantee whose grant holds no key for the version', async () => {
    const grantee = participant('collaborator');
    env.standIns.add(grantee);
    env.standIns.grant(grantee.resolved.id, 'read', { recordId });
    expect(errorOf(await getRecord(env, grantee.actor, recordId)).code).toBe(ErrorCode.Forbidden);
    expect(
      errorOf(await readRange(env, grantee.actor, { recordId, version: 1, offset: 0, length: 10 }))
        .code,
    ).toBe(ErrorCode.Forbidden);
  });

  it("returns the key from the grantee's grant, which opens the record", async () => {
    const grantee = participant('collaborator');
    env.standIns.add(grantee);
    const wrappedKey = await wrapTo(grantee, built.dataKey, recordId, 1);
    env.standIns.grant(grantee.resolved.id, 'read', { recordId, wrappedKey });

    const access = dataOf(await getRecord(env, grantee.actor, recordId));
    expect(access.wrappedKey).toEqual(wrappedKey);
    expect(access.integrity.status).toBe('verified');
    const ciphertext = await readContent(env, grantee.actor, recordId, 1);
    const dataKey = await unwrapKey(
      grantee.keys.encryption,
      fromBase64Url('wrappedKey', access.wrappedKey.wrappedKey),
      recordKeyContext(recordId, 1, grantee.resolved.id),
    );
    const { metadata } = access.record.signed;
    const plaintext = await decryptRecord(
      dataKey,
      { recordId, patientId: metadata.patientId, version: 1, contentType: metadata.contentType },
      ciphertext,
    );
    expect(Buffer.from(plaintext).equals(built.plaintext)).toBe(true);

    // Revoked: refused again.
    env.standIns.revokeAll(grantee.resolved.id);
    expect(errorOf(await getRecord(env, grantee.actor, recordId)).code).toBe(ErrorCode.Forbidden);
  });

  it('answers a record or version that does not exist with NOT_FOUND', async () => {
    expect(errorOf(await getRecord(env, patient.actor, randomUUID())).code).toBe(
      ErrorCode.NotFound,
    );
    expect(errorOf(await getRecord(env, patient.actor, recordId, 2)).code).toBe(ErrorCode.NotFound);
  });
});
