import { randomUUID } from 'node:crypto';

import { CONTENT_CHUNK_BYTES, ErrorCode, type PutRecordRequest } from '@sec-health/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { emergencySet, participant, type TestParticipant } from './support/participants.js';
import {
  buildRecord,
  signMetadata,
  withMetadata,
  wrapTo,
  type RecordDraft,
} from './support/record-builder.js';
import { dataOf, errorOf, getRecord, put, storeRecord } from './support/record-steps.js';
import { setupStorageEnv, type StorageEnv } from './support/storage-env.js';

// Every refusal is sent straight on NATS with the gateway's credentials and a genuine assertion:
// what the gateway would let through, refused by storage's own rules.

let env: StorageEnv;
const patient = participant('patient');
const otherPatient = participant('patient');
const collaborator = participant('collaborator');
const ungranted = participant('collaborator');
/** Rotated once: the directory holds key version 2. */
const rotated = participant('collaborator', { keyVersion: 2 });

beforeAll(async () => {
  env = await setupStorageEnv();
  env.standIns.add(patient, otherPatient, collaborator, ungranted, rotated);
  env.standIns.grant(collaborator.resolved.id, 'write');
  env.standIns.grant(rotated.resolved.id, 'write');
  env.standIns.grant(ungranted.resolved.id, 'write', { allowed: false });
});

afterAll(async () => {
  await env?.close();
});

function record(author: TestParticipant, fields: Partial<RecordDraft> = {}) {
  return buildRecord({ patient, author, emergency: env.emergency.set, ...fields });
}

async function refused(
  actor: TestParticipant,
  request: PutRecordRequest,
  code: ErrorCode,
  reason?: string,
) {
  const error = errorOf(await put(env, actor.actor, request));
  expect(error.code).toBe(code);
  if (reason) expect(error.details?.reason).toBe(reason);
  // Nothing of a refused announcement is kept.
  const { recordId } = request.signed.metadata;
  expect(errorOf(await getRecord(env, patient.actor, recordId)).code).toBe(ErrorCode.NotFound);
  return error;
}

describe('who may announce a version', () => {
  it('refuses metadata signed with a key that is not the author’s', async () => {
    const { request } = await record(patient);
    const attacker = participant('patient');
    const forged = {
      ...request,
      signed: {
        ...request.signed,
        signature: signMetadata(attacker.keys, request.signed.metadata),
      },
    };
    await refused(patient, forged, ErrorCode.Forbidden, 'BAD_SIGNATURE');
  });

  it('refuses metadata changed after it was signed', async () => {
    const { request } = await record(patient);
    const changed = {
      ...request,
      signed: {
        ...request.signed,
        metadata: { ...request.signed.metadata, category: 'notes' as const },
      },
    };
    await refused(patient, changed, ErrorCode.Forbidden, 'BAD_SIGNATURE');
  });

  it('refuses metadata that names another author than the actor', async () => {
    const { request } = await record(collaborator);
    const error = await refused(patient, request, ErrorCode.Forbidden);
    expect(error.message).toContain('another author');
  });

  it('refuses a signature made with a key version that is no longer current', async () => {
    const built = await record(rotated);
    const stale = { ...built.request, signed: { ...built.request.signed, authorKeyVersion: 1 } };
    await refused(rotated, stale, ErrorCode.Forbidden, 'STALE_KEY');
  });

  it('refuses a collaborator without a write grant, after asking the sharing service', async () => {
    const { request } = await record(ungranted);
    await refused(ungranted, request, ErrorCode.Forbidden);
    expect(env.standIns.accessChecks).toContainEqual(
      expect.objectContaining({
        actorId: ungranted.resolved.id,
        permission: 'write',
        recordId: request.signed.metadata.recordId,
      }),
    );
    // No grant row at all: refused the same way.
    const nobody = participant('collaborator');
    env.standIns.add(nobody);
    await refused(nobody, (await record(nobody)).request, ErrorCode.Forbidden);
  });

  it("refuses a patient writing another patient's record", async () => {
    const { request } = await buildRecord({
      patient,
      author: otherPatient,
      emergency: env.emergency.set,
    });
    const error = await refused(otherPatient, request, ErrorCode.Forbidden);
    expect(error.message).toContain('own records');
  });

  it('refuses roles that do not write records, and a patient unknown to the directory', async () => {
    const researcher = participant('research');
    env.standIns.add(researcher);
    await refused(researcher, (await record(researcher)).request, ErrorCode.Forbidden);

    const unknown = participant('patient');
    const { request } = await buildRecord({
      patient: unknown,
      author: unknown,
      emergency: env.emergency.set,
    });
    expect(errorOf(await put(env, unknown.actor, request)).code).toBe(ErrorCode.NotFound);
  });
});

describe('what an announcement must hold', () => {
  it('refuses keys that are not exactly one for the patient and one for the author', async () => {
    const built = await record(collaborator);
    const [patientKey, authorKey] = built.request.keys;
    const grantee = participant('collaborator');
    const granteeKey = await wrapTo(
      grantee,
      built.dataKey,
      built.request.signed.metadata.recordId,
      1,
    );
    for (const keys of [
      [patientKey!],
      [authorKey!],
      [patientKey!, patientKey!],
      [patientKey!, authorKey!, granteeKey],
      [patientKey!, granteeKey],
    ]) {
      await refused(collaborator, { ...built.request, keys }, ErrorCode.ValidationFailed);
    }
  });

  it('refuses a key wrapped to a recipient key version that is not current', async () => {
    const built = await record(collaborator);
    const keys = built.request.keys.map((key, i) =>
      i === 0 ? { ...key, recipientKeyVersion: 2 } : key,
    );
    await refused(
      collaborator,
      { ...built.request, keys },
      ErrorCode.ValidationFailed,
      'STALE_RECIPIENT_KEY',
    );
  });

  it('refuses commitments, shares or a threshold that do not match the emergency set', async () => {
    const otherSet = await record(patient, { emergency: emergencySet().set });
    await refused(patient, otherSet.request, ErrorCode.ValidationFailed, 'EMERGENCY_SET_CHANGED');

    const threshold3 = await record(patient, {
      emergency: { ...env.emergency.set, threshold: 3 },
    });
    await refused(patient, threshold3.request, ErrorCode.ValidationFailed, 'EMERGENCY_SET_CHANGED');

    const built = await record(patient);
    const strayShare = built.request.shares.map((share, i) =>
      i === 2 ? { ...share, serverId: randomUUID() } : share,
    );
    await refused(
      patient,
      { ...built.request, shares: strayShare },
      ErrorCode.ValidationFailed,
      'EMERGENCY_SET_CHANGED',
    );
    await refused(
      patient,
      { ...built.request, shares: built.request.shares.slice(0, 2) },
      ErrorCode.ValidationFailed,
      'EMERGENCY_SET_CHANGED',
    );
  });

  it('refuses to store anything while fewer than two emergency servers are registered', async () => {
    const built = await record(patient);
    const full = env.standIns.emergency;
    env.standIns.emergency = { threshold: 2, servers: full.servers.slice(0, 1) };
    try {
      await refused(patient, built.request, ErrorCode.DependencyUnavailable);
    } finally {
      env.standIns.emergency = full;
    }
  });

  it('refuses a creation time in the future', async () => {
    const built = await record(patient);
    const future = withMetadata(built.request, patient, {
      createdAt: new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString(),
    });
    await refused(patient, future, ErrorCode.ValidationFailed);
  });
});

describe('versions of one record', () => {
  it('refuses version 2 before version 1', async () => {
    const built = await record(patient, { version: 2 });
    await refused(patient, built.request, ErrorCode.Conflict, 'VERSION_OUT_OF_ORDER');
  });

  it('answers the same announcement again with the same upload; other metadata is a conflict', async () => {
    const built = await record(patient);
    const first = dataOf(await put(env, patient.actor, built.request));
    const again = dataOf(await put(env, patient.actor, built.request));
    expect(again.uploadId).toBe(first.uploadId);
    expect(again.chunkBytes).toBe(CONTENT_CHUNK_BYTES);

    const other = await record(patient, { recordId: built.request.signed.metadata.recordId });
    expect(errorOf(await put(env, patient.actor, other.request)).code).toBe(ErrorCode.Conflict);
  });

  it('refuses a version once stored, and a version of the record for another patient', async () => {
    const built = await record(patient);
    const { recordId } = built.request.signed.metadata;
    await storeRecord(env, patient.actor, built);
    const error = errorOf(await put(env, patient.actor, built.request));
    expect(error.code).toBe(ErrorCode.Conflict);
    expect(error.details?.reason).toBe('ALREADY_STORED');

    const hijack = await buildRecord({
      patient: otherPatient,
      author: otherPatient,
      emergency: env.emergency.set,
      recordId,
      version: 2,
    });
    expect(errorOf(await put(env, otherPatient.actor, hijack.request)).code).toBe(
      ErrorCode.Conflict,
    );
  });

  it('refuses a new version by a collaborator who did not write the last one, and a change of category', async () => {
    const built = await record(patient);
    const { recordId } = built.request.signed.metadata;
    await storeRecord(env, patient.actor, built);
    const rewrite = await record(collaborator, { recordId, version: 2 });
    expect(errorOf(await put(env, collaborator.actor, rewrite.request)).code).toBe(
      ErrorCode.Forbidden,
    );
    const recategorized = await record(patient, { recordId, version: 2, category: 'notes' });
    expect(errorOf(await put(env, patient.actor, recategorized.request)).code).toBe(
      ErrorCode.Conflict,
    );
  });
});
