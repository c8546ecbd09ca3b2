import { randomUUID } from 'node:crypto';

import {
  generateParticipantKeys,
  randomBytes,
  sha256,
  signCanonical,
  toBase64Url,
  toHex,
  utf8,
  type ParticipantKeys,
} from '@sec-health/crypto';
import {
  sessionCloseStatement,
  sessionOpeningStatement,
  sessionReassignStatement,
  type CloseSessionRequest,
  type CollaboratorKind,
  type OpenSessionRequest,
  type PolicyView,
  type ReassignSessionRequest,
  type ResolvedParticipant,
  type Role,
  type SessionOpening,
} from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';

// Participants with real keys, and the statements they sign, as a client builds them: shared by
// the unit tables and the integration suites.

export interface TestParticipant {
  readonly resolved: ResolvedParticipant;
  readonly keys: ParticipantKeys;
  /** How the gateway asserts this participant (logged in with its current key version). */
  readonly actor: Actor;
}

export function participant(
  role: Role,
  overrides: Partial<Omit<ResolvedParticipant, 'keys'>> = {},
  keys: ParticipantKeys = generateParticipantKeys(),
): TestParticipant {
  const id = overrides.id ?? randomUUID();
  const kind: CollaboratorKind | null = role === 'collaborator' ? 'physician' : null;
  const resolved: ResolvedParticipant = {
    id,
    role,
    kind,
    organizationId: role === 'patient' ? null : randomUUID(),
    status: 'active',
    keys: {
      signing: toBase64Url(keys.signing.publicKey),
      encryption: toBase64Url(keys.encryption.publicKey),
    },
    keyVersion: 1,
    // A patient's reference is a random pseudonym; others' derive from the id (DESIGN.md 4).
    participantRef:
      role === 'patient'
        ? `0x${toHex(randomBytes(32))}`
        : `0x${toHex(sha256(utf8(`sec-health/participant-ref/v1:${id}`)))}`,
    ...overrides,
  };
  return {
    resolved,
    keys,
    actor: {
      id,
      role: resolved.role,
      organizationId: resolved.organizationId,
      keyVersion: resolved.keyVersion,
    },
  };
}

export function openingOf(
  patient: TestParticipant,
  collaborator: TestParticipant,
  fields: Partial<SessionOpening> = {},
): SessionOpening {
  return {
    sessionId: randomUUID(),
    patientId: patient.resolved.id,
    collaboratorId: collaborator.resolved.id,
    reasonCode: 'ETREAT',
    notes: 'unconscious at home, caller is a neighbour',
    signedAt: new Date().toISOString(),
    ...fields,
  };
}

/** An open request signed by `signer` (the attendant's own secret signing key). */
export function openRequest(opening: SessionOpening, signer: Uint8Array): OpenSessionRequest {
  return {
    opening,
    signature: toBase64Url(signCanonical(signer, sessionOpeningStatement(opening))),
  };
}

export function reassignRequest(
  sessionId: string,
  collaboratorId: string,
  signer: Uint8Array,
  signedAt: string = new Date().toISOString(),
): ReassignSessionRequest {
  const statement = sessionReassignStatement({ sessionId, collaboratorId, signedAt });
  return {
    sessionId,
    collaboratorId,
    signedAt,
    signature: toBase64Url(signCanonical(signer, statement)),
  };
}

export function closeRequest(
  sessionId: string,
  reason: 'completed' | 'cancelled',
  signer: Uint8Array,
  signedAt: string = new Date().toISOString(),
): CloseSessionRequest {
  const statement = sessionCloseStatement({ sessionId, reason, signedAt });
  return {
    sessionId,
    reason,
    signedAt,
    signature: toBase64Url(signCanonical(signer, statement)),
  };
}

/** The sharing service's view of a patient's policy (break-glass on, 60 minutes by default). */
export function policyView(
  patientId: string,
  fields: { breakGlass?: boolean; maxSessionMinutes?: number } = {},
): PolicyView {
  return {
    source: 'default',
    policy: {
      patientId,
      policyVersion: 1,
      breakGlass: fields.breakGlass ?? true,
      confidentiality: ['N'],
      sensitivityOptIn: [],
      maxSessionMinutes: fields.maxSessionMinutes ?? 60,
      contacts: [],
      signedAt: null,
    },
    signature: null,
    anchor: null,
  };
}

/** A valid-looking signature by nobody. */
export function forgedSignature(): string {
  return toBase64Url(randomBytes(64));
}
