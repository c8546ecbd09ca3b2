import type { Integrity, RecordVersion } from '@sec-health/protocol';

import type { Row } from '../output.js';
import { anchorText } from './anchor-text.js';

export const RECORD_COLUMNS = [
  'RECORD',
  'VERSION',
  'CATEGORY',
  'CONF',
  'SENSITIVITY',
  'CREATED',
  'AUTHOR',
  'ANCHOR',
];

export function recordCells(v: RecordVersion): string[] {
  const m = v.signed.metadata;
  return [
    m.recordId,
    String(m.version),
    m.category,
    m.confidentiality,
    listText(m.sensitivity),
    m.createdAt,
    m.authorId,
    v.anchor.status,
  ];
}

export const HISTORY_COLUMNS = ['VERSION', 'CREATED', 'AUTHOR', 'TYPE', 'BYTES', 'ANCHOR'];

export function historyCells(v: RecordVersion): string[] {
  const m = v.signed.metadata;
  return [
    String(m.version),
    m.createdAt,
    m.authorId,
    m.contentType,
    String(m.size),
    v.anchor.status,
  ];
}

/** One version's metadata as `label: value` lines. */
export function recordRow(v: RecordVersion): Row {
  const m = v.signed.metadata;
  return [
    ['record', m.recordId],
    ['version', m.version],
    ['patient', m.patientId],
    ['author', m.authorId],
    ['category', m.category],
    ['confidentiality', m.confidentiality],
    ['sensitivity', listText(m.sensitivity)],
    ['content type', m.contentType],
    ['bytes (encrypted)', m.size],
    ['created', m.createdAt],
    ['stored', v.storedAt],
    ['content hash', m.ciphertextHash],
    ['cid', m.cid],
    ['anchor', anchorText(v.anchor)],
  ];
}

export function integrityRow(integrity: Integrity): Row {
  return [
    ['integrity', integrity.status],
    ['signature valid', yesNo(integrity.signatureValid)],
    ['metadata matches anchor', yesNo(integrity.metadataMatchesAnchor)],
    ['content matches anchor', yesNo(integrity.contentMatchesAnchor)],
    ['anchored hash', integrity.anchoredHash],
    ['anchored metadata hash', integrity.anchoredMetadataHash],
    ['problems', integrity.problems.length > 0 ? integrity.problems.join('; ') : 'none'],
  ];
}

export function listText(items: readonly string[] | undefined): string {
  return items && items.length > 0 ? items.join(',') : '-';
}

function yesNo(value: boolean | null): string {
  if (value === null) return 'not checked';
  return value ? 'yes' : 'no';
}
