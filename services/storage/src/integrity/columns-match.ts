import type { RecordVersionRow } from '../records/record-rows.js';

/**
 * The searchable columns of a version against its signed metadata: a column changed behind the
 * service's back would make search answer for data nobody signed. Names the fields that differ.
 */
export function columnsDifferingFromMetadata(row: RecordVersionRow): string[] {
  const m = row.metadata;
  const differing: string[] = [];
  const same = (name: string, column: unknown, signed: unknown) => {
    if (JSON.stringify(column) !== JSON.stringify(signed)) differing.push(name);
  };
  same('recordId', row.recordId, m.recordId);
  same('version', row.version, m.version);
  same('patientId', row.patientId, m.patientId);
  same('authorId', row.authorId, m.authorId);
  same('category', row.category, m.category);
  same('confidentiality', row.confidentiality, m.confidentiality);
  same('sensitivity', row.sensitivity, m.sensitivity);
  same('createdAt', new Date(row.createdAt).getTime(), Date.parse(m.createdAt));
  same('contentType', row.contentType, m.contentType);
  same('size', Number(row.size), m.size);
  same('cid', row.cid, m.cid);
  same('ciphertextHash', row.ciphertextHash, m.ciphertextHash);
  return differing;
}
