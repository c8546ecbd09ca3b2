import type { RecordCategory } from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';

import { conflict, forbidden, notFound, type Refusal } from '../refusal.js';
import { covers, grantStatus, inEffect, type ConsentState } from './consent-state.js';

/** How the actor stands to a consent: its patient, its grantee, or a stranger to it. */
export function partyOf(actor: Actor, state: ConsentState): 'patient' | 'grantee' | undefined {
  if (actor.id === state.consent.patientId) return 'patient';
  if (actor.id === state.consent.granteeId) return 'grantee';
  return undefined;
}

/** A grant is shown to its patient and its grantee; to anyone else it does not exist. */
export function viewRefusal(actor: Actor, state: ConsentState): Refusal | undefined {
  return partyOf(actor, state) ? undefined : notFound('no such grant');
}

/** Holds a write grant in effect now from `patientId`, covering the category (or the record). */
export function holdsWriteGrant(
  actor: Actor,
  patientId: string,
  grants: readonly ConsentState[],
  now: Date,
  what?: { readonly category: RecordCategory; readonly recordId?: string },
): boolean {
  return grants.some(
    (g) =>
      g.consent.granteeId === actor.id &&
      g.consent.patientId === patientId &&
      g.consent.permission === 'write' &&
      inEffect(g, now) &&
      (what === undefined || covers(g.consent.scope, what.category, what.recordId)),
  );
}

/**
 * Keys are added to a grant by its patient (e.g. after a record's key rotation) or by an author
 * holding a write grant in effect from the same patient (new records for the grantee); only to a
 * grant that is still active. `actorGrants`: the actor's own grants from that patient.
 */
export function addKeysRefusal(
  actor: Actor,
  state: ConsentState,
  actorGrants: readonly ConsentState[],
  now: Date,
): Refusal | undefined {
  const party = partyOf(actor, state);
  const writer = holdsWriteGrant(actor, state.consent.patientId, actorGrants, now);
  if (party !== 'patient' && !writer) {
    return party === 'grantee'
      ? forbidden("keys are added by the patient or by an author with the patient's write grant")
      : notFound('no such grant');
  }
  const status = grantStatus(state, now);
  return status === 'active'
    ? undefined
    : conflict('GRANT_NOT_ACTIVE', `the grant is ${status}: no keys can be added`);
}

/**
 * Who must receive a new record's key may be asked by the patient, or by an author holding a
 * write grant in effect from the patient for that category (or record).
 */
export function recipientsRefusal(
  actor: Actor,
  request: {
    readonly patientId: string;
    readonly category: RecordCategory;
    readonly recordId?: string;
  },
  actorGrants: readonly ConsentState[],
  now: Date,
): Refusal | undefined {
  if (actor.id === request.patientId) return undefined;
  return holdsWriteGrant(actor, request.patientId, actorGrants, now, request)
    ? undefined
    : forbidden(
        `only the patient, or an author with the patient's write grant for ${request.category}, learns its recipients`,
      );
}
