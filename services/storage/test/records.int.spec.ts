import { createHash } from 'node:crypto';

import {
  decryptRecord,
  fromBase64Url,
  randomBytes,
  sha256CanonicalHex,
  unwrapKey,
} from '@sec-health/crypto';
import {
  natsContracts as c,
  uuidToBytes32,
  type RecordAccess,
  type RecordHistory,
} from '@sec-health/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { recordAnchoredOf } from './support/chain-reads.js';
import { participant, type TestParticipant } from './support/participants.js';
import {
  buildRecord,
  recordKeyContext,
  type BuiltRecord,
  type RecordDraft,
} from './support/record-builder.js';
import {
  awaitVerified,
  dataOf,
  readContent,
  readRange,
  storeRecord,
  verifyRecord,
} from './support/record-steps.js';
import { setupStorageEnv, type StorageEnv } from './support/storage-env.js';

let env: StorageEnv;
const patient = participant('patient');
const collaborator = participant('collaborator');

beforeAll(async () => {
  env = await setupStorageEnv();
  env.standIns.add(patient, collaborator);
  env.standIns.grant(collaborator.resolved.id, 'write');
});

afterAll(async () => {
  await env?.close();
});

const sha256Hex = (bytes: Uint8Array) => `0x${createHash('sha256').update(bytes).digest('hex')}`;

/** What the reader's client does: unwrap the data key with its X25519 key, then decrypt. */
async function open(access: RecordAccess, reader: TestParticipant, ciphertext: Uint8Array) {
  const { metadata } = access.record.signed;
  const dataKey = await unwrapKey(
    reader.keys.encryption,
    fromBase64Url('wrappedKey', access.wrappedKey.wrappedKey),
    recordKeyContext(metadata.recordId, metadata.version, reader.resolved.id),
  );
  return decryptRecord(
    dataKey,
    {
      recordId: metadata.recordId,
      patientId: metadata.patientId,
      version: metadata.version,
      contentType: metadata.contentType,
    },
    ciphertext,
  );
}

function record(author: TestParticipant, fields: Partial<RecordDraft> = {}) {
  return buildRecord({ patient, author, emergency: env.emergency.set, ...fields });
}

describe("a patient's own record", () => {
  let built: BuiltRecord;

  beforeAll(async () => {
    // Two NATS chunks and three IPFS leaves.
    built = await record(patient, { plaintext: randomBytes(700_000) });
    const stored = await storeRecord(env, patient.actor, built);
    expect(stored.signed).toEqual(built.request.signed);
  });

  it('is returned with its metadata, the patient key, and integrity verified once anchored', async () => {
    const { recordId } = built.request.signed.metadata;
    const access = await awaitVerified(env, patient.actor, recordId);
    expect(access.record.signed).toEqual(built.request.signed);
    expect(access.record.anchor.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(access.wrappedKey).toEqual(built.request.keys[0]);
    expect(access.integrity).toEqual({
      status: 'verified',
      signatureValid: true,
      metadataMatchesAnchor: true,
      contentMatchesAnchor: true,
      anchoredHash: sha256Hex(built.ciphertext),
      anchoredMetadataHash: sha256CanonicalHex(built.request.signed),
      problems: [],
    });

    const ciphertext = await readContent(env, patient.actor, recordId, 1);
    expect(ciphertext.equals(built.ciphertext)).toBe(true);
    expect(Buffer.from(await open(access, patient, ciphertext)).equals(built.plaintext)).toBe(true);
  });

  it('reassembles from ranges of any length, and ends with eof', async () => {
    const { recordId, size } = built.request.signed.metadata;
    const odd = await readContent(env, patient.actor, recordId, 1, 100_003);
    expect(odd.equals(built.ciphertext)).toBe(true);

    const middle = dataOf(
      await readRange(env, patient.actor, { recordId, version: 1, offset: 262_000, length: 1_000 }),
    );
    expect(Buffer.from(fromBase64Url('data', middle.data))).toEqual(
      Buffer.from(built.ciphertext.subarray(262_000, 263_000)),
    );
    expect(middle.eof).toBe(false);
    const tail = dataOf(
      await readRange(env, patient.actor, { recordId, version: 1, offset: size - 10, length: 100 }),
    );
    expect(fromBase64Url('data', tail.data).length).toBe(10);
    expect(tail.eof).toBe(true);
    const past = dataOf(
      await readRange(env, patient.actor, { recordId, version: 1, offset: size, length: 100 }),
    );
    expect(past).toEqual({ data: '', eof: true });
  });

  it('is anchored on chain: RecordAnchored carries the SHA-256 of the ciphertext and of the signed metadata', async () => {
    const { recordId } = built.request.signed.metadata;
    const events = await recordAnchoredOf(
      env.registry(),
      patient.resolved.participantRef!,
      env.deployment.deployedAtBlock,
    );
    const event = events.find((e) => e.recordId === uuidToBytes32(recordId));
    expect(event).toEqual({
      patientRef: patient.resolved.participantRef,
      recordId: uuidToBytes32(recordId),
      version: 1,
      ciphertextHash: sha256Hex(built.ciphertext),
      authorRef: patient.resolved.participantRef,
      metadataHash: sha256CanonicalHex(built.request.signed),
    });
  });

  it('verify reports it verified', async () => {
    const { recordId } = built.request.signed.metadata;
    const report = dataOf(await verifyRecord(env, patient.actor, recordId, 1));
    expect(report.recordId).toBe(recordId);
    expect(report.version).toBe(1);
    expect(report.integrity.status).toBe('verified');
    expect(report.integrity.contentMatchesAnchor).toBe(true);
  });
});

describe("a collaborator's record under a write grant", () => {
  it('is stored after the sharing check, and each of patient and author gets their own key', async () => {
    const built = await record(collaborator, { category: 'medications' });
    const { recordId } = built.request.signed.metadata;
    await storeRecord(env, collaborator.actor, built);
    expect(env.standIns.accessChecks).toContainEqual({
      actorId: collaborator.resolved.id,
      patientId: patient.resolved.id,
      permission: 'write',
      category: 'medications',
      recordId,
      version: 1,
    });

    const asAuthor = await awaitVerified(env, collaborator.actor, recordId);
    expect(asAuthor.wrappedKey.recipientId).toBe(collaborator.resolved.id);
    const asPatient = dataOf(
      await env.request<RecordAccess>(c.recordGet.subject, { recordId }, patient.actor),
    );
    expect(asPatient.wrappedKey.recipientId).toBe(patient.resolved.id);

    const ciphertext = await readContent(env, collaborator.actor, recordId, 1);
    for (const [access, reader] of [
      [asAuthor, collaborator],
      [asPatient, patient],
    ] as const) {
      expect(Buffer.from(await open(access, reader, ciphertext)).equals(built.plaintext)).toBe(
        true,
      );
    }

    const events = await recordAnchoredOf(env.registry(), patient.resolved.participantRef!);
    const event = events.find((e) => e.recordId === uuidToBytes32(recordId));
    expect(event?.authorRef).toBe(collaborator.resolved.participantRef);
    expect(event?.ciphertextHash).toBe(sha256Hex(built.ciphertext));
    expect(event?.metadataHash).toBe(sha256CanonicalHex(built.request.signed));
  });
});

describe('versions', () => {
  it('history lists versions 1 and 2; get answers the latest unless asked for one', async () => {
    const first = await record(patient);
    const { recordId } = first.request.signed.metadata;
    await storeRecord(env, patient.actor, first);
    const second = await record(patient, { recordId, version: 2 });
    await storeRecord(env, patient.actor, second);

    const history = dataOf(
      await env.request<RecordHistory>(c.recordHistory.subject, { recordId }, patient.actor),
    );
    expect(history.versions.map((v) => v.signed.metadata.version)).toEqual([1, 2]);
    expect(history.versions[1]!.signed).toEqual(second.request.signed);

    const latest = await awaitVerified(env, patient.actor, recordId);
    expect(latest.record.signed.metadata.version).toBe(2);
    const older = await awaitVerified(env, patient.actor, recordId, 1);
    expect(older.record.signed).toEqual(first.request.signed);
    expect((await readContent(env, patient.actor, recordId, 1)).equals(first.ciphertext)).toBe(
      true,
    );
  });
});
