import type { AdminAction } from './admin-action.js';
import type { Consent, EmergencyPolicy } from './consents.js';
import type { RecordMetadata } from './records.js';
import type { SessionOpening } from './sessions.js';
import type { RegisterParticipantRequest } from './participants.js';

/**
 * Every statement a user signs (Ed25519 over its RFC 8785 canonical JSON), built here once for
 * the client that signs it and the service that verifies it. Each carries a `purpose` naming the
 * statement and its version, so a signature made for one can never pass for another. Optional
 * fields that are absent are left out, never null.
 */
export const StatementPurpose = {
  Login: 'sec-health/login/v1',
  Register: 'sec-health/register/v1',
  RotateKeys: 'sec-health/rotate-keys/v2',
  AdminAction: 'sec-health/admin-action/v1',
  RecordMetadata: 'sec-health/record-metadata/v1',
  Consent: 'sec-health/consent/v1',
  ConsentRevocation: 'sec-health/consent-revocation/v1',
  EmergencyPolicy: 'sec-health/emergency-policy/v1',
  SessionOpen: 'sec-health/session-open/v1',
  SessionReassign: 'sec-health/session-reassign/v1',
  SessionClose: 'sec-health/session-close/v1',
} as const;

/** How far a statement's `signedAt` may be from the verifier's clock, either way. */
export const SIGNED_AT_MAX_SKEW_MS = 5 * 60_000;

/** A login: the challenge the gateway issued, signed with the participant's signing key. */
export function loginStatement(fields: {
  participantId: string;
  challengeId: string;
  nonce: string;
}): Record<string, string> {
  return {
    purpose: StatementPurpose.Login,
    participantId: fields.participantId,
    challengeId: fields.challengeId,
    nonce: fields.nonce,
  };
}

/** A registration, signed with the new signing key itself (proof of possession). */
export function registrationStatement(
  request: Omit<RegisterParticipantRequest, 'proof'>,
): Record<string, unknown> {
  return withoutUndefined({
    purpose: StatementPurpose.Register,
    role: request.role,
    kind: request.kind,
    organizationId: request.organizationId,
    keys: { signing: request.keys.signing, encryption: request.keys.encryption },
    profile: withoutUndefined({
      displayName: request.profile.displayName,
      email: request.profile.email,
    }),
  });
}

/**
 * A key rotation: signed by the participant's CURRENT signing key (authorization) and by the NEW
 * one (proof of possession). `keyVersion` is the version being replaced, so a rotation statement
 * can never be replayed once it took effect.
 */
export function rotationStatement(fields: {
  participantId: string;
  keyVersion: number;
  keys: { signing: string; encryption: string };
  signedAt: string;
}): Record<string, unknown> {
  return {
    purpose: StatementPurpose.RotateKeys,
    participantId: fields.participantId,
    keyVersion: fields.keyVersion,
    keys: { signing: fields.keys.signing, encryption: fields.keys.encryption },
    signedAt: fields.signedAt,
  };
}

/**
 * An administrative action: `{ purpose, action, actorId, signedAt, ...fields }`, where `fields`
 * are the request's own fields without `authorization`, as parsed (so trimmed and normalised):
 * `{ name }` (organizations.create), `{ participantId }` (approve), `{ participantId, reason }`
 * (revoke).
 */
export function adminActionStatement(
  action: AdminAction,
  actorId: string,
  fields: Record<string, string>,
  signedAt: string,
): Record<string, string> {
  return { ...fields, purpose: StatementPurpose.AdminAction, action, actorId, signedAt };
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The metadata of a record version, signed by its author. */
export function recordMetadataStatement(metadata: RecordMetadata): Record<string, unknown> {
  return { ...metadata, purpose: StatementPurpose.RecordMetadata };
}

/** A grant, signed by the patient. */
export function consentStatement(consent: Consent): Record<string, unknown> {
  return { ...consent, purpose: StatementPurpose.Consent };
}

/** The revocation of a grant, signed by the patient. */
export function consentRevocationStatement(fields: {
  consentId: string;
  patientId: string;
  signedAt: string;
}): Record<string, string> {
  return {
    purpose: StatementPurpose.ConsentRevocation,
    consentId: fields.consentId,
    patientId: fields.patientId,
    signedAt: fields.signedAt,
  };
}

/** The patient's emergency policy, signed by the patient. */
export function emergencyPolicyStatement(policy: EmergencyPolicy): Record<string, unknown> {
  return { ...policy, purpose: StatementPurpose.EmergencyPolicy };
}

/** An emergency session's opening, signed by the attendant. */
export function sessionOpeningStatement(opening: SessionOpening): Record<string, unknown> {
  return { ...opening, purpose: StatementPurpose.SessionOpen };
}

/** A session handed to another collaborator, signed by an attendant of its organization. */
export function sessionReassignStatement(fields: {
  sessionId: string;
  collaboratorId: string;
  signedAt: string;
}): Record<string, string> {
  return {
    purpose: StatementPurpose.SessionReassign,
    sessionId: fields.sessionId,
    collaboratorId: fields.collaboratorId,
    signedAt: fields.signedAt,
  };
}

/** A session's end, signed by an attendant of its organization or its collaborator. */
export function sessionCloseStatement(fields: {
  sessionId: string;
  reason: 'completed' | 'cancelled';
  signedAt: string;
}): Record<string, string> {
  return {
    purpose: StatementPurpose.SessionClose,
    sessionId: fields.sessionId,
    reason: fields.reason,
    signedAt: fields.signedAt,
  };
}
