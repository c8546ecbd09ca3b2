import type { Role } from '@sec-health/protocol';

import { conflict, forbidden } from './record-errors.js';

/** How an actor stands to a record version: the two who always hold its key, or anyone else. */
export type Relation = 'patient' | 'author' | 'other';

export function relationOf(
  actorId: string,
  record: { readonly patientId: string; readonly authorId: string },
): Relation {
  if (actorId === record.patientId) return 'patient';
  if (actorId === record.authorId) return 'author';
  return 'other';
}

export type WriteDecision =
  | { readonly allowed: true; readonly needsWriteGrant: boolean }
  | { readonly allowed: false; readonly reason: string };

/**
 * May `actor` write a version of a record of `patientId` as its author? Patients write their own
 * records; collaborators write for a patient only under the patient's write grant (which the
 * caller checks with the sharing service when `needsWriteGrant`); nobody else writes records.
 */
export function mayWrite(
  actor: { readonly id: string; readonly role: Role },
  record: { readonly patientId: string; readonly authorId: string },
): WriteDecision {
  if (actor.id !== record.authorId) {
    return { allowed: false, reason: 'the metadata names another author' };
  }
  if (actor.role === 'patient') {
    return actor.id === record.patientId
      ? { allowed: true, needsWriteGrant: false }
      : { allowed: false, reason: 'patients write only their own records' };
  }
  if (actor.role === 'collaborator') return { allowed: true, needsWriteGrant: true };
  return { allowed: false, reason: `role ${actor.role} does not write records` };
}

/**
 * A new version of an existing record: for the same patient and category, written by the patient
 * (a rotation) or by whoever wrote the version before. A write grant lets a collaborator add
 * records for the patient, not rewrite someone else's.
 */
export function assertMayVersion(
  actor: { readonly id: string },
  latest: { readonly patientId: string; readonly authorId: string; readonly category: string },
  next: { readonly patientId: string; readonly category: string },
): void {
  if (latest.patientId !== next.patientId) {
    throw conflict('the record belongs to another patient');
  }
  if (latest.category !== next.category) {
    throw conflict(`the record is in ${latest.category}; a new version keeps its category`);
  }
  if (actor.id !== latest.patientId && actor.id !== latest.authorId) {
    throw forbidden("only the patient or the record's last author writes its new versions");
  }
}
