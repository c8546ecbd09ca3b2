import { randomUUID } from 'node:crypto';

import { natsContracts as c, type RecordList } from '@sec-health/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { participant, type TestParticipant } from './support/participants.js';
import { buildRecord, type RecordDraft } from './support/record-builder.js';
import { dataOf, storeRecord } from './support/record-steps.js';
import { setupStorageEnv, type StorageEnv } from './support/storage-env.js';

// record.list: the latest stored version of each of a patient's records matching the filters,
// leaving out what the caller may not read.

let env: StorageEnv;
// Three records of one patient: two written by the patient, one by a collaborator.
const listed = participant('patient');
const author = participant('collaborator');
const day = 24 * 60 * 60 * 1000;
const ago = (days: number) => new Date(Date.now() - days * day);
let ids: { allergies: string; medications: string; notes: string };

beforeAll(async () => {
  env = await setupStorageEnv();
  env.standIns.add(listed, author);
  env.standIns.grant(author.resolved.id, 'write');
  const make = async (by: TestParticipant, fields: Partial<RecordDraft>) => {
    const built = await buildRecord({
      patient: listed,
      author: by,
      emergency: env.emergency.set,
      ...fields,
    });
    await storeRecord(env, by.actor, built);
    return built.request.signed.metadata.recordId;
  };
  ids = {
    allergies: await make(listed, { category: 'allergies', createdAt: ago(30) }),
    medications: await make(author, {
      category: 'medications',
      confidentiality: 'R',
      sensitivity: ['HIV'],
      createdAt: ago(20),
    }),
    notes: await make(listed, {
      category: 'notes',
      confidentiality: 'V',
      sensitivity: ['SUD', 'PSY'],
      createdAt: ago(10),
    }),
  };
});

afterAll(async () => {
  await env?.close();
});

async function list(filter: Record<string, unknown>, actor = listed.actor) {
  const reply = await env.request<RecordList>(
    c.recordList.subject,
    { patientId: listed.resolved.id, ...filter },
    actor,
  );
  return dataOf(reply)
    .items.map((item) => item.signed.metadata.recordId)
    .sort();
}

it('filters by category, author, confidentiality, sensitivity and date', async () => {
  const { allergies, medications, notes } = ids;
  expect(await list({})).toEqual([allergies, medications, notes].sort());
  expect(await list({ category: ['medications'] })).toEqual([medications]);
  expect(await list({ category: ['allergies', 'notes'] })).toEqual([allergies, notes].sort());
  expect(await list({ authorId: author.resolved.id })).toEqual([medications]);
  expect(await list({ authorId: listed.resolved.id })).toEqual([allergies, notes].sort());
  expect(await list({ confidentiality: ['V'] })).toEqual([notes]);
  expect(await list({ confidentiality: ['N', 'R'] })).toEqual([allergies, medications].sort());
  expect(await list({ sensitivity: ['SUD'] })).toEqual([notes]);
  expect(await list({ sensitivity: ['HIV', 'PSY'] })).toEqual([medications, notes].sort());
  expect(
    await list({ createdFrom: ago(25).toISOString(), createdTo: ago(15).toISOString() }),
  ).toEqual([medications]);
  expect(await list({ createdFrom: ago(15).toISOString() })).toEqual([notes]);
  expect(await list({ category: ['imaging'] })).toEqual([]);
});

it('pages with limit and next', async () => {
  const first = dataOf(
    await env.request<RecordList>(
      c.recordList.subject,
      { patientId: listed.resolved.id, limit: 2 },
      listed.actor,
    ),
  );
  expect(first.items).toHaveLength(2);
  expect(first.next).not.toBeNull();
  const rest = await list({ after: first.next, limit: 2 });
  const all = [...first.items.map((i) => i.signed.metadata.recordId), ...rest].sort();
  expect(all).toEqual(Object.values(ids).sort());
});

it("leaves out what the caller may not read: another's records without a read grant", async () => {
  // The collaborator authored one record and holds no read grant for the others.
  expect(await list({}, author.actor)).toEqual([ids.medications]);
  const stranger = participant('collaborator');
  env.standIns.add(stranger);
  expect(await list({}, stranger.actor)).toEqual([]);
  env.standIns.grant(stranger.resolved.id, 'read', { recordId: ids.notes });
  expect(await list({}, stranger.actor)).toEqual([ids.notes]);
});

it('lists nothing for a patient with no records', async () => {
  expect(
    dataOf(
      await env.request<RecordList>(
        c.recordList.subject,
        { patientId: randomUUID() },
        listed.actor,
      ),
    ),
  ).toEqual({ items: [], next: null });
});
