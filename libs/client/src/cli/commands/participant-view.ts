import type { Participant } from '@sec-health/protocol';

import type { Row } from '../output.js';
import { anchorText } from './anchor-text.js';

export function participantRow(p: Participant): Row {
  return [
    ['id', p.id],
    ['role', p.role],
    ['kind', p.kind],
    ['organization', p.organizationId],
    ['status', p.status],
    ['name', p.profile.displayName],
    ['email', p.profile.email],
    ['signing key', p.keys.signing],
    ['encryption key', p.keys.encryption],
    ['reference', p.participantRef],
    ['created', p.createdAt],
    ['attestation', p.attestation?.hash],
    ['anchor', anchorText(p.attestation?.anchor)],
  ];
}

export const PARTICIPANT_COLUMNS = ['ID', 'ROLE', 'KIND', 'ORGANIZATION', 'STATUS', 'NAME'];

export function participantCells(p: Participant): string[] {
  return [p.id, p.role, p.kind ?? '-', p.organizationId ?? '-', p.status, p.profile.displayName];
}
