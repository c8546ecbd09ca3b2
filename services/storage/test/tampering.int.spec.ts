import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { randomBytes, toBase64Url } from '@sec-health/crypto';
import { CONTENT_CHUNK_SIZE } from '@sec-health/content-address';
import { ErrorCode, uuidToBytes32, type RecordMetadata } from '@sec-health/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { participant } from './support/participants.js';
import { buildRecord, signMetadata, type BuiltRecord } from './support/record-builder.js';
import {
  awaitVerified,
  complete,
  dataOf,
  errorOf,
  getRecord,
  put,
  readRange,
  sendContent,
  storeRecord,
  verifyRecord,
} from './support/record-steps.js';
import { setupStorageEnv, type StorageEnv } from './support/storage-env.js';

// What someone with the storage host's disk or database could change behind the service's back,
// and that record.get then refuses (INTEGRITY_MISMATCH) and verify names.

let env: StorageEnv;
const patient = participant('patient');

beforeAll(async () => {
  env = await setupStorageEnv();
  env.standIns.add(patient);
});

afterAll(async () => {
  await env?.close();
});

/** A stored, anchored record of `size` plaintext bytes. */
async function anchoredRecord(
  size = 600,
  sensitivity: readonly string[] = [],
): Promise<{ built: BuiltRecord; recordId: string }> {
  const built = await buildRecord({
    patient,
    author: patient,
    emergency: env.emergency.set,
    plaintext: randomBytes(size),
    sensitivity,
  });
  const { recordId } = built.request.signed.metadata;
  await storeRecord(env, patient.actor, built);
  await awaitVerified(env, patient.actor, recordId);
  return { built, recordId };
}

async function expectRefusedAsMismatch(recordId: string, problem: string) {
  const error = errorOf(await getRecord(env, patient.actor, recordId));
  expect(error.code).toBe(ErrorCode.IntegrityMismatch);
  expect(error.message).toContain(problem);
  const { integrity } = dataOf(await verifyRecord(env, patient.actor, recordId));
  expect(integrity.status).toBe('mismatch');
  expect(integrity.problems.join('; ')).toContain(problem);
  return integrity;
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('a block altered on disk', () => {
  it('makes record.get answer INTEGRITY_MISMATCH and verify report the content differs', async () => {
    // Three raw leaves under a dag-pb root: the second leaf is CONTENT_CHUNK_SIZE bytes.
    const { built, recordId } = await anchoredRecord(CONTENT_CHUNK_SIZE * 2 + 1_000);
    const leaf = Buffer.from(built.ciphertext.subarray(CONTENT_CHUNK_SIZE, CONTENT_CHUNK_SIZE * 2));
    const blocks = join(env.instances[0]!.ipfsDirectory, 'blocks');
    let leafFile: string | undefined;
    for (const file of await filesUnder(blocks)) {
      if ((await readFile(file)).equals(leaf)) leafFile = file;
    }
    expect(leafFile).toBeDefined();
    const altered = Buffer.from(leaf);
    altered[1_000]! ^= 0x01;
    await writeFile(leafFile!, altered);

    const integrity = await expectRefusedAsMismatch(
      recordId,
      'the SHA-256 of the stored content differs from the chain anchor',
    );
    expect(integrity.contentMatchesAnchor).toBe(false);
    expect(integrity.signatureValid).toBe(true);
    expect(integrity.metadataMatchesAnchor).toBe(true);

    // A range read, straight on NATS, is refused too: none of the altered content goes out.
    const range = errorOf(
      await readRange(env, patient.actor, { recordId, version: 1, offset: 0, length: 1_000 }),
    );
    expect(range.code).toBe(ErrorCode.IntegrityMismatch);
  });
});

describe('a field changed in PostgreSQL', () => {
  it('in the signed metadata: the signature fails and the column no longer matches', async () => {
    const { recordId } = await anchoredRecord();
    await env.sql(
      `UPDATE storage.record_versions SET metadata = jsonb_set(metadata, '{category}', '"notes"')
        WHERE record_id = $1`,
      [recordId],
    );
    const integrity = await expectRefusedAsMismatch(
      recordId,
      "the metadata does not verify with its author's signature",
    );
    expect(integrity.signatureValid).toBe(false);
    expect(integrity.problems).toContain('stored fields differ from the signed metadata: category');
  });

  it('in the searchable column alone: the column no longer matches the signed metadata', async () => {
    const { recordId } = await anchoredRecord();
    await env.sql(`UPDATE storage.record_versions SET category = 'notes' WHERE record_id = $1`, [
      recordId,
    ]);
    const integrity = await expectRefusedAsMismatch(
      recordId,
      'stored fields differ from the signed metadata: category',
    );
    expect(integrity.signatureValid).toBe(true);
    expect(integrity.contentMatchesAnchor).toBe(true);
  });

  it('in the signed hash: it differs from the chain anchor too', async () => {
    const { recordId } = await anchoredRecord();
    const forged = `"0x${'ab'.repeat(32)}"`;
    await env.sql(
      `UPDATE storage.record_versions
          SET metadata = jsonb_set(metadata, '{ciphertextHash}', $2::jsonb),
              ciphertext_hash = $2::jsonb #>> '{}'
        WHERE record_id = $1`,
      [recordId, forged],
    );
    const integrity = await expectRefusedAsMismatch(
      recordId,
      'the metadata differs from the chain anchor: ciphertext hash',
    );
    expect(integrity.signatureValid).toBe(false);
    expect(integrity.metadataMatchesAnchor).toBe(false);
  });

  it("in the signed metadata, re-signed with another key stored as the author's: only the anchored metadata hash catches it", async () => {
    const { built, recordId } = await anchoredRecord(600, ['HIV']);
    // Someone with write access to the database drops the HIV tag, in the metadata and in the
    // column, signs the result with a key of their own and stores that key as the author's.
    const intruder = participant('collaborator');
    const metadata: RecordMetadata = { ...built.request.signed.metadata, sensitivity: [] };
    await env.sql(
      `UPDATE storage.record_versions
          SET metadata = $2::jsonb, sensitivity = '{}', signature = $3, author_signing_key = $4
        WHERE record_id = $1`,
      [
        recordId,
        JSON.stringify(metadata),
        signMetadata(intruder.keys, metadata),
        toBase64Url(intruder.keys.signing.publicKey),
      ],
    );
    const integrity = await expectRefusedAsMismatch(
      recordId,
      'the signed metadata differs from the chain anchor',
    );
    expect(integrity.problems).toEqual(['the signed metadata differs from the chain anchor']);
    expect(integrity.signatureValid).toBe(true);
    expect(integrity.metadataMatchesAnchor).toBe(false);
    expect(integrity.contentMatchesAnchor).toBe(true);
    expect(integrity.anchoredHash).toBe(built.request.signed.metadata.ciphertextHash);
  });

  it('between the announcement and the anchor: re-signed metadata is refused, never anchored', async () => {
    const built = await buildRecord({
      patient,
      author: patient,
      emergency: env.emergency.set,
      plaintext: randomBytes(600),
      sensitivity: ['HIV'],
    });
    const { recordId } = built.request.signed.metadata;
    const ticket = dataOf(await put(env, patient.actor, built.request));
    dataOf(await sendContent(env, patient.actor, ticket.uploadId, built.ciphertext));
    const intruder = participant('collaborator');
    const metadata: RecordMetadata = { ...built.request.signed.metadata, sensitivity: [] };
    await env.sql(
      `UPDATE storage.record_versions
          SET metadata = $2::jsonb, sensitivity = '{}', signature = $3, author_signing_key = $4
        WHERE record_id = $1`,
      [
        recordId,
        JSON.stringify(metadata),
        signMetadata(intruder.keys, metadata),
        toBase64Url(intruder.keys.signing.publicKey),
      ],
    );
    const error = errorOf(await complete(env, patient.actor, ticket.uploadId));
    expect(error.code).toBe(ErrorCode.Conflict);
    expect(error.details?.reason).toBe('AUTHOR_KEY_CHANGED');
    expect(errorOf(await getRecord(env, patient.actor, recordId)).code).toBe(ErrorCode.NotFound);
    const [, , , , blockNumber] = (await env.registry().getFunction('anchor')(
      uuidToBytes32(recordId),
      1,
    )) as unknown[];
    expect(blockNumber).toBe(0n);
  });
});
