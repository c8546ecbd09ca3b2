import {
  emergencyPolicyStatement,
  type ResolvedParticipant,
  type SetPolicyRequest,
} from '@sec-health/protocol';
import { type Actor, actorProblem } from '@sec-health/service-kit';

import { conflict, forbidden, invalid, type Refusal } from '../refusal.js';
import { signatureRefusal, signedAtRefusal } from '../signatures/signed-statements.js';

/**
 * A patient's emergency policy is read by the patient, by emergency servers (each checks it
 * before releasing a share, DESIGN.md section 9) and by the authority; by no one else.
 */
export function policyReadRefusal(actor: Actor, patientId: string): Refusal | undefined {
  if (actor.id === patientId) return undefined;
  if (actor.role === 'emergency-server' || actor.role === 'authority') return undefined;
  return forbidden(
    'an emergency policy is read by its patient, the emergency servers and the authority',
  );
}

export interface PolicySetting {
  readonly actor: Actor;
  /** The patient as the authority knows them (absent: unknown). */
  readonly patient: ResolvedParticipant | undefined;
  readonly request: SetPolicyRequest;
  readonly now: Date;
}

/**
 * May this policy be set? By its own patient only, active and logged in with the current keys,
 * signed with the patient's current signing key over emergencyPolicyStatement, recently.
 */
export function policySetRefusal(setting: PolicySetting): Refusal | undefined {
  const { actor, patient, request, now } = setting;
  if (request.policy.patientId !== request.patientId) {
    return invalid('PATIENT_MISMATCH', 'policy.patientId differs from patientId');
  }
  if (actor.role !== 'patient' || actor.id !== request.patientId) {
    return forbidden('patients set their own emergency policy only');
  }
  const who = actorProblem(actor, patient);
  if (who) return who;
  const signature = signatureRefusal(
    patient!.keys.signing,
    emergencyPolicyStatement(request.policy),
    request.signature,
    'emergency policy',
  );
  return signature ?? signedAtRefusal(request.policy.signedAt, now);
}

/** A new policy must have a greater version than the stored one (0 when none is stored). */
export function policyVersionRefusal(
  storedVersion: number,
  request: SetPolicyRequest,
): Refusal | undefined {
  return request.policy.policyVersion > storedVersion
    ? undefined
    : conflict(
        'POLICY_VERSION_NOT_INCREASING',
        `policy version ${request.policy.policyVersion} is not greater than the current version ${storedVersion}`,
      );
}
