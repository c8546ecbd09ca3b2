import { describe, expect, it } from 'vitest';

import type { RecordVersionRow } from '../records/record-rows.js';
import { columnsDifferingFromMetadata } from './columns-match.js';

const metadata = {
  suite: 'sh1-aes256gcm',
  recordId: '00000000-0000-4000-8000-000000000001',
  version: 2,
  patientId: '00000000-0000-4000-8000-000000000002',
  authorId: '00000000-0000-4000-8000-000000000003',
  category: 'allergies',
  confidentiality: 'R',
  sensitivity: ['HIV', 'PSY'],
  createdAt: '2026-10-01T12:00:00.000Z',
  contentType: 'application/fhir+json',
  size: 629,
  cid: 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku',
  ciphertextHash: `0x${'ab'.repeat(32)}`,
  emergency: { threshold: 2, commitments: [] },
} as unknown as RecordVersionRow['metadata'];

/** A row as PostgreSQL returns it: a Date for created_at, the columns copied from the metadata. */
function row(changes: Partial<RecordVersionRow> = {}): RecordVersionRow {
  return {
    recordId: metadata.recordId,
    version: metadata.version,
    patientId: metadata.patientId,
    authorId: metadata.authorId,
    category: metadata.category,
    confidentiality: metadata.confidentiality,
    sensitivity: [...metadata.sensitivity],
    createdAt: new Date(metadata.createdAt),
    contentType: metadata.contentType,
    size: metadata.size,
    cid: metadata.cid,
    ciphertextHash: metadata.ciphertextHash,
    metadata,
    ...changes,
  } as RecordVersionRow;
}

describe('columnsDifferingFromMetadata', () => {
  it('finds nothing when every column is what the metadata signs', () => {
    expect(columnsDifferingFromMetadata(row())).toEqual([]);
  });

  it('compares the creation time as an instant, whatever its time zone', () => {
    expect(
      columnsDifferingFromMetadata(row({ createdAt: new Date('2026-10-01T14:00:00+02:00') })),
    ).toEqual([]);
  });

  it.each([
    ['recordId', { recordId: '00000000-0000-4000-8000-0000000000ff' }],
    ['version', { version: 1 }],
    ['patientId', { patientId: '00000000-0000-4000-8000-0000000000ff' }],
    ['authorId', { authorId: '00000000-0000-4000-8000-0000000000ff' }],
    ['category', { category: 'notes' }],
    ['confidentiality', { confidentiality: 'N' }],
    ['sensitivity', { sensitivity: ['HIV'] }],
    ['sensitivity', { sensitivity: ['PSY', 'HIV'] }],
    ['createdAt', { createdAt: new Date('2026-10-01T12:00:00.001Z') }],
    ['contentType', { contentType: 'application/pdf' }],
    ['size', { size: 630 }],
    ['cid', { cid: 'bafkreidgnb5k36dcxv3wzd6brohj7drabclrjblo4iz3hebkleoq2xzjeu' }],
    ['ciphertextHash', { ciphertextHash: `0x${'cd'.repeat(32)}` }],
  ] as [string, Partial<RecordVersionRow>][])('names %s when it differs', (name, changes) => {
    expect(columnsDifferingFromMetadata(row(changes))).toEqual([name]);
  });

  it('names every differing column, and a size PostgreSQL returned as text matches', () => {
    expect(
      columnsDifferingFromMetadata(
        row({ category: 'notes', size: '629' as unknown as number, confidentiality: 'V' }),
      ),
    ).toEqual(['category', 'confidentiality']);
  });
});
