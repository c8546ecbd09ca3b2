import {
  consentStatement,
  type Consent,
  type CreateGrantRequest,
  type ResolvedParticipant,
  type Role,
} from '@sec-health/protocol';
import { type Actor, actorProblem } from '@sec-health/service-kit';

import { conflict, forbidden, invalid, notFound, type Refusal } from '../refusal.js';
import { signatureRefusal, signedAtRefusal } from '../signatures/signed-statements.js';
import { grantKeysRefusal } from './grant-keys-rules.js';

export interface GrantCreation {
  readonly actor: Actor;
  /** The consent's patient and grantee as the authority knows them (absent: unknown). */
  readonly patient: ResolvedParticipant | undefined;
  readonly grantee: ResolvedParticipant | undefined;
  readonly request: CreateGrantRequest;
  readonly now: Date;
}

/**
 * May this grant be created? Only by its patient, active and logged in with the current keys;
 * to an active collaborator (treatment) or research entity (research, read only); signed by the
 * patient's current signing key over consentStatement, recently; not yet expired; with keys the
 * grantee can open now (grantKeysRefusal).
 */
export function grantCreationRefusal(creation: GrantCreation): Refusal | undefined {
  const { actor, patient, grantee, request, now } = creation;
  const { consent } = request;
  if (actor.role !== 'patient') return forbidden('only patients grant access to their records');
  if (consent.patientId !== actor.id) {
    return forbidden('patients grant access to their own records only');
  }
  const who = actorProblem(actor, patient);
  if (who) return who;
  if (!grantee) return notFound('no such grantee');
  if (grantee.status !== 'active') {
    return conflict('GRANTEE_NOT_ACTIVE', `the grantee is ${grantee.status}, not active`);
  }
  const eligibility = eligibilityRefusal(grantee.role, consent);
  if (eligibility) return eligibility;
  const signature = signatureRefusal(
    patient!.keys.signing,
    consentStatement(consent),
    request.signature,
    'consent',
  );
  if (signature) return signature;
  const recent = signedAtRefusal(consent.signedAt, now);
  if (recent) return recent;
  if (Date.parse(consent.expiresAt) <= now.getTime()) {
    return invalid('EXPIRED', 'the consent has already expired');
  }
  return grantKeysRefusal(consent, grantee, request.keys);
}

/**
 * Who may receive what (DESIGN.md section 1): collaborators for treatment (read, or write to add
 * records), research entities for research and read only (they receive de-identified records).
 */
export function eligibilityRefusal(granteeRole: Role, consent: Consent): Refusal | undefined {
  if (granteeRole === 'collaborator') {
    return consent.purposeOfUse === 'treatment'
      ? undefined
      : invalid('GRANTEE_NOT_ELIGIBLE', 'collaborators are granted access for treatment only');
  }
  if (granteeRole === 'research') {
    if (consent.purposeOfUse !== 'research') {
      return invalid(
        'GRANTEE_NOT_ELIGIBLE',
        'research entities are granted access for research only',
      );
    }
    return consent.permission === 'read'
      ? undefined
      : invalid('GRANTEE_NOT_ELIGIBLE', 'research entities are granted read access only');
  }
  return invalid(
    'GRANTEE_NOT_ELIGIBLE',
    `access is granted to collaborators and research entities, not to a ${granteeRole}`,
  );
}
