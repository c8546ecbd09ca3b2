import {
  sessionCloseStatement,
  sessionOpeningStatement,
  sessionReassignStatement,
  type CloseSessionRequest,
  type OpenSessionRequest,
  type PolicyView,
  type ReassignSessionRequest,
  type ResolvedParticipant,
} from '@sec-health/protocol';
import { type Actor, actorProblem } from '@sec-health/service-kit';

import { conflict, forbidden, invalid, notFound, type Refusal } from '../refusal.js';
import { signatureRefusal, signedAtRefusal } from '../signatures/signed-statements.js';
import { effectiveStatus, type SessionState } from './session-state.js';

export interface SessionOpeningCheck {
  readonly actor: Actor;
  /** The actor, the patient and the collaborator as the authority knows them (absent: unknown). */
  readonly attendant: ResolvedParticipant | undefined;
  readonly patient: ResolvedParticipant | undefined;
  readonly collaborator: ResolvedParticipant | undefined;
  readonly request: OpenSessionRequest;
  readonly now: Date;
}

/**
 * May this session be opened (DESIGN.md section 9 step 1)? By an attendant, active, logged in
 * with the current keys and in an organization, who signed the opening with the current signing
 * key, recently; for an active patient; handed to an active collaborator. The patient's policy
 * is checked after (policyRefusal), so the sharing service is asked only for a sound request.
 */
export function openingRefusal(check: SessionOpeningCheck): Refusal | undefined {
  const { actor, attendant, patient, collaborator, request, now } = check;
  const { opening } = request;
  if (actor.role !== 'attendant') return forbidden('only attendants open emergency sessions');
  const who = actorProblem(actor, attendant);
  if (who) return who;
  if (attendant!.organizationId === null) {
    return forbidden('the attendant belongs to no organization');
  }
  const signature = signatureRefusal(
    attendant!.keys.signing,
    sessionOpeningStatement(opening),
    request.signature,
    'session opening',
  );
  if (signature) return signature;
  const recent = signedAtRefusal(opening.signedAt, now);
  if (recent) return recent;
  return (
    partyRefusal(patient, 'patient', 'NOT_A_PATIENT') ??
    partyRefusal(collaborator, 'collaborator', 'NOT_A_COLLABORATOR')
  );
}

/** Break-glass only where the patient's policy allows it. */
export function policyRefusal(policy: PolicyView): Refusal | undefined {
  return policy.policy.breakGlass
    ? undefined
    : forbidden("the patient's emergency policy does not allow break-glass", 'BREAK_GLASS_OFF');
}

/**
 * When a session ends: its length is the call center's default, capped by the patient's policy,
 * counted from the attendant's signedAt in whole seconds (the chain's unit). Counting from the
 * signed time, not the clock, makes a retry of the same signed opening anchor the same event
 * (ADR 0001: the retry reuses its outbox row).
 */
export function sessionExpiry(
  signedAt: string,
  policy: PolicyView,
  defaultSessionMinutes: number,
): Date {
  const minutes = Math.min(policy.policy.maxSessionMinutes, defaultSessionMinutes);
  const signedSeconds = Math.floor(Date.parse(signedAt) / 1000);
  return new Date((signedSeconds + minutes * 60) * 1000);
}

/**
 * Who sees a session: attendants of its organization, its current collaborator, its patient.
 * Anyone else is told it does not exist.
 */
export function viewRefusal(actor: Actor, state: SessionState): Refusal | undefined {
  if (isOrganizationAttendant(actor, state)) return undefined;
  if (actor.role === 'collaborator' && actor.id === state.collaboratorId) return undefined;
  if (actor.role === 'patient' && actor.id === state.patientId) return undefined;
  return notFound('no such session');
}

/** Sessions are listed by organization, to its attendants. */
export function listRefusal(actor: Actor): Refusal | undefined {
  if (actor.role !== 'attendant' || actor.organizationId === null) {
    return forbidden("only attendants list their organization's sessions");
  }
  return undefined;
}

export interface ReassignmentCheck {
  readonly actor: Actor;
  readonly attendant: ResolvedParticipant | undefined;
  /** The collaborator the session goes to, as the authority knows them. */
  readonly collaborator: ResolvedParticipant | undefined;
  readonly state: SessionState;
  readonly request: ReassignSessionRequest;
  readonly now: Date;
}

/**
 * May the session go to another collaborator? By an attendant of its organization (others do not
 * see it), active with current keys, who signed the reassignment; while it is open and not
 * expired; to an active collaborator other than the current one.
 */
export function reassignmentRefusal(check: ReassignmentCheck): Refusal | undefined {
  const { actor, attendant, collaborator, state, request, now } = check;
  const visible = viewRefusal(actor, state);
  if (visible) return visible;
  if (!isOrganizationAttendant(actor, state)) {
    return forbidden("only the organization's attendants reassign a session");
  }
  const who = actorProblem(actor, attendant);
  if (who) return who;
  const signature = signatureRefusal(
    attendant!.keys.signing,
    sessionReassignStatement(request),
    request.signature,
    'reassignment',
  );
  if (signature) return signature;
  const recent = signedAtRefusal(request.signedAt, now);
  if (recent) return recent;
  const open = openRefusal(state, now);
  if (open) return open;
  const party = partyRefusal(collaborator, 'collaborator', 'NOT_A_COLLABORATOR');
  if (party) return party;
  if (collaborator!.id === state.collaboratorId) {
    return conflict('SAME_COLLABORATOR', 'the session is already with this collaborator');
  }
  return undefined;
}

export interface ClosingCheck {
  readonly actor: Actor;
  /** The actor as the authority knows them. */
  readonly closer: ResolvedParticipant | undefined;
  readonly state: SessionState;
  readonly request: CloseSessionRequest;
  readonly now: Date;
}

/**
 * May the session be closed? By an attendant of its organization or its current collaborator,
 * active with current keys, who signed the closing; while it is open and not expired (an expired
 * session is closed by the expiry sweep, with reason expired).
 */
export function closingRefusal(check: ClosingCheck): Refusal | undefined {
  const { actor, closer, state, request, now } = check;
  const visible = viewRefusal(actor, state);
  if (visible) return visible;
  const isCollaborator = actor.role === 'collaborator' && actor.id === state.collaboratorId;
  if (!isOrganizationAttendant(actor, state) && !isCollaborator) {
    return forbidden("only the organization's attendants or the collaborator close a session");
  }
  const who = actorProblem(actor, closer);
  if (who) return who;
  const signature = signatureRefusal(
    closer!.keys.signing,
    sessionCloseStatement(request),
    request.signature,
    'closing',
  );
  if (signature) return signature;
  const recent = signedAtRefusal(request.signedAt, now);
  if (recent) return recent;
  return openRefusal(state, now);
}

/** A refusal unless the session is open and not expired at `now`. */
export function openRefusal(state: SessionState, now: Date): Refusal | undefined {
  const status = effectiveStatus(state, now);
  if (status === 'closed') return conflict('SESSION_CLOSED', 'the session is closed');
  if (status === 'expired') return conflict('SESSION_EXPIRED', 'the session has expired');
  return undefined;
}

function isOrganizationAttendant(actor: Actor, state: SessionState): boolean {
  return actor.role === 'attendant' && actor.organizationId === state.organizationId;
}

/** A party named by the attendant: known (else NOT_FOUND), in the role, active and attested. */
function partyRefusal(
  party: ResolvedParticipant | undefined,
  role: 'patient' | 'collaborator',
  reason: 'NOT_A_PATIENT' | 'NOT_A_COLLABORATOR',
): Refusal | undefined {
  if (!party) return notFound(`no such ${role}`);
  if (party.role !== role) return invalid(reason, `the participant named as ${role} is not one`);
  if (party.status !== 'active' || party.participantRef === null) {
    return conflict('PARTICIPANT_NOT_ACTIVE', `the ${role} is ${party.status}, not active`);
  }
  return undefined;
}
