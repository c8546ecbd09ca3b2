import type { AccessCheckRequest, AccessDecision, WrappedKey } from '@sec-health/protocol';

import { covers, inEffect, type ConsentState } from '../grants/consent-state.js';

/** A consent of the patient to the actor, with the key it holds for the asked record version. */
export interface AccessCandidate extends ConsentState {
  readonly key: WrappedKey | null;
}

/**
 * May `actorId` read (or write) this record of this patient right now? Only under a consent of
 * that patient to that actor, with exactly that permission, in effect now (not revoked, validFrom
 * <= now < expiresAt; checked at every call, so expiry needs no sweep), whose scope names the
 * record or its category. For a read, the record's key wrapped to the actor under a covering
 * consent, when one holds it. The reason says why either way.
 */
export function decideAccess(
  request: AccessCheckRequest,
  candidates: readonly AccessCandidate[],
  now: Date,
): AccessDecision {
  const matching = candidates.filter(
    (c) =>
      c.consent.patientId === request.patientId &&
      c.consent.granteeId === request.actorId &&
      c.consent.permission === request.permission &&
      covers(c.consent.scope, request.category, request.recordId),
  );
  const covering = matching.filter((c) => inEffect(c, now));
  if (covering.length === 0) {
    return {
      allowed: false,
      reason: refusalReason(request, matching, now),
      consentId: null,
      expiresAt: null,
      wrappedKey: null,
    };
  }
  // The consent that holds the key, else the one that lasts longest.
  const chosen = [...covering].sort(
    (a, b) =>
      Number(b.key !== null) - Number(a.key !== null) ||
      Date.parse(b.consent.expiresAt) - Date.parse(a.consent.expiresAt),
  )[0]!;
  const wrappedKey = request.permission === 'read' ? chosen.key : null;
  return {
    allowed: true,
    reason: `${request.permission} granted by consent ${chosen.consent.consentId} until ${chosen.consent.expiresAt}${
      request.permission === 'read' && wrappedKey === null
        ? '; no key is held for this record version'
        : ''
    }`,
    consentId: chosen.consent.consentId,
    expiresAt: chosen.consent.expiresAt,
    wrappedKey,
  };
}

function refusalReason(
  request: AccessCheckRequest,
  matching: readonly AccessCandidate[],
  now: Date,
): string {
  const what = `no active ${request.permission} grant covers ${request.category} or record ${request.recordId}`;
  if (matching.length === 0) return what;
  if (matching.every((c) => c.revokedAt !== null)) return `${what}: the grant was revoked`;
  const t = now.getTime();
  const live = matching.filter((c) => c.revokedAt === null);
  if (live.every((c) => Date.parse(c.consent.expiresAt) <= t)) return `${what}: the grant expired`;
  return `${what}: the grant is not valid yet`;
}
