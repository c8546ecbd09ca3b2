import {
  consentRevocationStatement,
  type ResolvedParticipant,
  type RevokeGrantRequest,
} from '@sec-health/protocol';
import { type Actor, actorProblem } from '@sec-health/service-kit';

import { forbidden, notFound, type Refusal } from '../refusal.js';
import { signatureRefusal, signedAtRefusal } from '../signatures/signed-statements.js';
import type { ConsentState } from './consent-state.js';
import { partyOf } from './grant-access.js';

/** Only the consent's patient revokes it; the grantee is told so, anyone else sees nothing. */
export function revocationRefusal(actor: Actor, state: ConsentState): Refusal | undefined {
  const party = partyOf(actor, state);
  if (party === 'patient') return undefined;
  return party === 'grantee'
    ? forbidden('only the patient who gave a grant revokes it')
    : notFound('no such grant');
}

/**
 * The revocation itself: by the patient, active and logged in with the current keys, signed with
 * the patient's current signing key over consentRevocationStatement, recently.
 */
export function revocationSigningRefusal(
  actor: Actor,
  patient: ResolvedParticipant | undefined,
  state: ConsentState,
  request: RevokeGrantRequest,
  now: Date,
): Refusal | undefined {
  const who = actorProblem(actor, patient);
  if (who) return who;
  const statement = consentRevocationStatement({
    consentId: state.consent.consentId,
    patientId: state.consent.patientId,
    signedAt: request.signedAt,
  });
  return (
    signatureRefusal(patient!.keys.signing, statement, request.signature, 'revocation') ??
    signedAtRefusal(request.signedAt, now)
  );
}
