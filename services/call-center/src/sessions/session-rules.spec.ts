import { randomUUID } from 'node:crypto';

import type { ResolvedParticipant } from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';
import { describe, expect, it } from 'vitest';

import {
  closeRequest,
  forgedSignature,
  openingOf,
  openRequest,
  participant,
  policyView,
  reassignRequest,
} from '../../test/support/fixtures.js';
import {
  closingRefusal,
  listRefusal,
  openingRefusal,
  policyRefusal,
  reassignmentRefusal,
  sessionExpiry,
  viewRefusal,
} from './session-rules.js';
import type { SessionState } from './session-state.js';

const organizationId = randomUUID();
const attendant = participant('attendant', { organizationId });
const colleague = participant('attendant', { organizationId });
const outsider = participant('attendant');
const patient = participant('patient');
const collaborator = participant('collaborator');
const other = participant('collaborator');
const now = new Date();
const minutesFromNow = (n: number) => new Date(now.getTime() + n * 60_000);

describe('openingRefusal', () => {
  const opening = openingOf(patient, collaborator);
  const signed = openRequest(opening, attendant.keys.signing.secretKey);
  const base = {
    actor: attendant.actor,
    attendant: attendant.resolved,
    patient: patient.resolved,
    collaborator: collaborator.resolved,
    request: signed,
    now,
  };
  const stale = openingOf(patient, collaborator, { signedAt: minutesFromNow(-6).toISOString() });
  it.each<[string, Partial<typeof base>, string | undefined, string?]>([
    ['an active attendant, patient and collaborator', {}, undefined],
    ['a collaborator as the actor', { actor: collaborator.actor }, 'FORBIDDEN'],
    ['an attendant the authority does not know', { attendant: undefined }, 'FORBIDDEN'],
    [
      'a revoked attendant',
      { attendant: { ...attendant.resolved, status: 'revoked' } },
      'FORBIDDEN',
    ],
    [
      'a pending attendant',
      { attendant: { ...attendant.resolved, status: 'pending' } },
      'FORBIDDEN',
    ],
    [
      'an attendant with rotated keys',
      { attendant: { ...attendant.resolved, keyVersion: 2 } },
      'UNAUTHENTICATED',
    ],
    [
      'an attendant of no organization',
      { attendant: { ...attendant.resolved, organizationId: null } },
      'FORBIDDEN',
    ],
    [
      'a forged signature',
      { request: { ...signed, signature: forgedSignature() } },
      'VALIDATION_FAILED',
      'BAD_SIGNATURE',
    ],
    [
      "a colleague's signature",
      { request: openRequest(opening, colleague.keys.signing.secretKey) },
      'VALIDATION_FAILED',
      'BAD_SIGNATURE',
    ],
    [
      'a signature over other content',
      { request: { ...signed, opening: { ...opening, reasonCode: 'BTG' } } },
      'VALIDATION_FAILED',
      'BAD_SIGNATURE',
    ],
    [
      'a signature six minutes old',
      { request: openRequest(stale, attendant.keys.signing.secretKey) },
      'VALIDATION_FAILED',
      'SIGNED_AT_SKEW',
    ],
    ['an unknown patient', { patient: undefined }, 'NOT_FOUND'],
    [
      'a patient who is a collaborator',
      { patient: other.resolved },
      'VALIDATION_FAILED',
      'NOT_A_PATIENT',
    ],
    [
      'a revoked patient',
      { patient: { ...patient.resolved, status: 'revoked' } },
      'CONFLICT',
      'PARTICIPANT_NOT_ACTIVE',
    ],
    ['an unknown collaborator', { collaborator: undefined }, 'NOT_FOUND'],
    [
      'a collaborator who is an attendant',
      { collaborator: colleague.resolved },
      'VALIDATION_FAILED',
      'NOT_A_COLLABORATOR',
    ],
    [
      'a pending collaborator',
      { collaborator: { ...collaborator.resolved, status: 'pending', participantRef: null } },
      'CONFLICT',
      'PARTICIPANT_NOT_ACTIVE',
    ],
  ])('%s', (_name, change, code, reason) => {
    const refusal = openingRefusal({ ...base, ...change });
    expect(refusal?.code).toBe(code);
    expect(refusal?.reason).toBe(reason);
  });
});

describe('policyRefusal and sessionExpiry', () => {
  it('refuses break-glass off with BREAK_GLASS_OFF', () => {
    expect(policyRefusal(policyView(patient.resolved.id, { breakGlass: false }))).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'BREAK_GLASS_OFF',
    });
    expect(policyRefusal(policyView(patient.resolved.id))).toBeUndefined();
  });

  it.each([
    [90, 60, 60],
    [15, 60, 15],
    [60, 30, 30],
  ])(
    'policy %i min, default %i min: %i minutes from signedAt, in whole seconds',
    (max, def, expected) => {
      const signedAt = '2026-12-01T10:00:00.750Z';
      const expiry = sessionExpiry(
        signedAt,
        policyView(patient.resolved.id, { maxSessionMinutes: max }),
        def,
      );
      expect(expiry.toISOString()).toBe(
        new Date(Date.parse('2026-12-01T10:00:00Z') + expected * 60_000).toISOString(),
      );
    },
  );
});

const state: SessionState = {
  patientId: patient.resolved.id,
  organizationId,
  collaboratorId: collaborator.resolved.id,
  status: 'open',
  expiresAt: minutesFromNow(30),
};

describe('viewRefusal and listRefusal', () => {
  it.each<[string, Actor, string | undefined]>([
    ['the attendant', attendant.actor, undefined],
    ['a colleague of the organization', colleague.actor, undefined],
    ['the collaborator', collaborator.actor, undefined],
    ['the patient', patient.actor, undefined],
    ['an attendant of another organization', outsider.actor, 'NOT_FOUND'],
    ['another collaborator', other.actor, 'NOT_FOUND'],
    ['another patient', participant('patient').actor, 'NOT_FOUND'],
    [
      'the collaborator asserted as an attendant',
      { ...collaborator.actor, role: 'attendant' },
      'NOT_FOUND',
    ],
  ])('view by %s', (_name, actor, code) => {
    expect(viewRefusal(actor, state)?.code).toBe(code);
  });

  it.each<[string, Actor, string | undefined]>([
    ['an attendant', attendant.actor, undefined],
    ['a collaborator', collaborator.actor, 'FORBIDDEN'],
    ['a patient', patient.actor, 'FORBIDDEN'],
    ['an attendant of no organization', { ...attendant.actor, organizationId: null }, 'FORBIDDEN'],
  ])('list by %s', (_name, actor, code) => {
    expect(listRefusal(actor)?.code).toBe(code);
  });
});

describe('reassignmentRefusal', () => {
  const request = reassignRequest(
    randomUUID(),
    other.resolved.id,
    colleague.keys.signing.secretKey,
  );
  const base = {
    actor: colleague.actor,
    attendant: colleague.resolved as ResolvedParticipant | undefined,
    collaborator: other.resolved as ResolvedParticipant | undefined,
    state,
    request,
    now,
  };
  it.each<[string, Partial<typeof base>, string | undefined, string?]>([
    ['a colleague of the organization, to another collaborator', {}, undefined],
    [
      'an attendant of another organization',
      { actor: outsider.actor, attendant: outsider.resolved },
      'NOT_FOUND',
    ],
    [
      'the collaborator',
      { actor: collaborator.actor, attendant: collaborator.resolved },
      'FORBIDDEN',
    ],
    [
      'a revoked attendant',
      { attendant: { ...colleague.resolved, status: 'revoked' } },
      'FORBIDDEN',
    ],
    [
      'a forged signature',
      { request: { ...request, signature: forgedSignature() } },
      'VALIDATION_FAILED',
      'BAD_SIGNATURE',
    ],
    [
      'a signature by another attendant',
      {
        request: reassignRequest(
          request.sessionId,
          other.resolved.id,
          attendant.keys.signing.secretKey,
        ),
      },
      'VALIDATION_FAILED',
      'BAD_SIGNATURE',
    ],
    ['a closed session', { state: { ...state, status: 'closed' } }, 'CONFLICT', 'SESSION_CLOSED'],
    [
      'a session past its expiry',
      { state: { ...state, expiresAt: minutesFromNow(-1) } },
      'CONFLICT',
      'SESSION_EXPIRED',
    ],
    ['to a patient', { collaborator: patient.resolved }, 'VALIDATION_FAILED', 'NOT_A_COLLABORATOR'],
    [
      'to a revoked collaborator',
      { collaborator: { ...other.resolved, status: 'revoked' } },
      'CONFLICT',
      'PARTICIPANT_NOT_ACTIVE',
    ],
    [
      'to the current collaborator',
      { state: { ...state, collaboratorId: other.resolved.id } },
      'CONFLICT',
      'SAME_COLLABORATOR',
    ],
  ])('%s', (_name, change, code, reason) => {
    const refusal = reassignmentRefusal({ ...base, ...change });
    expect(refusal?.code).toBe(code);
    expect(refusal?.reason).toBe(reason);
  });
});

describe('closingRefusal', () => {
  const sessionId = randomUUID();
  const byCollaborator = closeRequest(sessionId, 'completed', collaborator.keys.signing.secretKey);
  const base = {
    actor: collaborator.actor,
    closer: collaborator.resolved as ResolvedParticipant | undefined,
    state,
    request: byCollaborator,
    now,
  };
  it.each<[string, Partial<typeof base>, string | undefined, string?]>([
    ['the collaborator', {}, undefined],
    [
      'an attendant of the organization',
      {
        actor: attendant.actor,
        closer: attendant.resolved,
        request: closeRequest(sessionId, 'cancelled', attendant.keys.signing.secretKey),
      },
      undefined,
    ],
    [
      'the patient',
      {
        actor: patient.actor,
        closer: patient.resolved,
        request: closeRequest(sessionId, 'cancelled', patient.keys.signing.secretKey),
      },
      'FORBIDDEN',
    ],
    [
      'an attendant of another organization',
      { actor: outsider.actor, closer: outsider.resolved },
      'NOT_FOUND',
    ],
    [
      'a collaborator with rotated keys',
      { closer: { ...collaborator.resolved, keyVersion: 2 } },
      'UNAUTHENTICATED',
    ],
    [
      'a signature for another reason',
      { request: { ...byCollaborator, reason: 'cancelled' } },
      'VALIDATION_FAILED',
      'BAD_SIGNATURE',
    ],
    ['a closed session', { state: { ...state, status: 'closed' } }, 'CONFLICT', 'SESSION_CLOSED'],
    [
      'an expired session',
      { state: { ...state, status: 'expired' } },
      'CONFLICT',
      'SESSION_EXPIRED',
    ],
    [
      'an open session past its expiry',
      { state: { ...state, expiresAt: now } },
      'CONFLICT',
      'SESSION_EXPIRED',
    ],
  ])('%s', (_name, change, code, reason) => {
    const refusal = closingRefusal({ ...base, ...change });
    expect(refusal?.code).toBe(code);
    expect(refusal?.reason).toBe(reason);
  });
});
