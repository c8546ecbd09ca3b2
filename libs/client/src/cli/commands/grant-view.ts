import type { ConsentScope, Grant } from '@sec-health/protocol';

import type { RouteOutput } from '../../sdk/routes.js';
import type { Row } from '../output.js';
import { anchorText } from './anchor-text.js';
import { listText } from './record-view.js';

/** "allergies,notes + 2 records", "3 records", "allergies". */
export function scopeText(scope: ConsentScope): string {
  const parts: string[] = [];
  if (scope.categories.length > 0) parts.push(scope.categories.join(','));
  const n = scope.recordIds.length;
  if (n > 0) parts.push(`${n} record${n === 1 ? '' : 's'}`);
  return parts.join(' + ') || '-';
}

export const GRANT_COLUMNS = [
  'CONSENT',
  'PATIENT',
  'GRANTEE',
  'ACCESS',
  'PURPOSE',
  'SCOPE',
  'EXPIRES',
  'STATUS',
];

export function grantCells(g: Grant): string[] {
  const c = g.consent;
  return [
    c.consentId,
    c.patientId,
    c.granteeId,
    c.permission,
    c.purposeOfUse,
    scopeText(c.scope),
    c.expiresAt,
    g.status,
  ];
}

export function grantRow(g: Grant): Row {
  const c = g.consent;
  return [
    ['consent', c.consentId],
    ['patient', c.patientId],
    ['grantee', c.granteeId],
    ['access', c.permission],
    ['purpose', c.purposeOfUse],
    ['categories', listText(c.scope.categories)],
    ['records', listText(c.scope.recordIds)],
    ['valid from', c.validFrom],
    ['expires', c.expiresAt],
    ['signed', c.signedAt],
    ['status', g.status],
    ['revoked', g.revokedAt],
    ['keys wrapped', g.keyCount],
    ['anchor', anchorText(g.anchor)],
    ['revocation anchor', anchorText(g.revocationAnchor)],
  ];
}

export const PATIENT_GRANT_COLUMNS = ['PATIENT', 'CONSENT', 'ACCESS', 'SCOPE', 'EXPIRES'];

/** One line per active grant to the caller, grouped by patient. */
export function patientGrantCells(list: RouteOutput<'grants.patients'>): string[][] {
  return list.items.flatMap(({ patientId, grants }) =>
    grants.map((g) => [patientId, g.consentId, g.permission, scopeText(g.scope), g.expiresAt]),
  );
}
