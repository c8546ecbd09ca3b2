import { generateParticipantKeys } from '@sec-health/crypto';
import type { ResolvedParticipant, Role, SetPolicyRequest } from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';
import { describe, expect, it } from 'vitest';

import {
  forgedSignature,
  minutes,
  participant,
  policyOf,
  policyRequest,
} from '../../test/support/fixtures.js';
import { policyReadRefusal, policySetRefusal, policyVersionRefusal } from './policy-rules.js';

const NOW = new Date('2026-12-01T09:30:00.000Z');
const patient = participant('patient');
const signed = (fields = {}) =>
  policyRequest(
    policyOf(patient, { signedAt: NOW.toISOString(), ...fields }),
    patient.keys.signing.secretKey,
  );

describe('policyReadRefusal', () => {
  it.each<[string, Actor, boolean]>([
    ['the patient', patient.actor, true],
    ['an emergency server', participant('emergency-server').actor, true],
    ['the authority', participant('authority').actor, true],
    ...(['collaborator', 'attendant', 'org-admin', 'research'] as Role[]).map(
      (role): [string, Actor, boolean] => [`a ${role}`, participant(role).actor, false],
    ),
    ['another patient', participant('patient').actor, false],
  ])('%s', (_name, actor, allowed) => {
    expect(policyReadRefusal(actor, patient.resolved.id) === undefined).toBe(allowed);
  });
});

describe('policySetRefusal', () => {
  it.each<
    [
      string,
      Actor,
      ResolvedParticipant | undefined,
      SetPolicyRequest,
      string | undefined,
      string | undefined,
    ]
  >([
    ['the patient, signed now', patient.actor, patient.resolved, signed(), undefined, undefined],
    [
      'another patient',
      participant('patient').actor,
      patient.resolved,
      signed(),
      'FORBIDDEN',
      undefined,
    ],
    [
      'an emergency server',
      participant('emergency-server').actor,
      patient.resolved,
      signed(),
      'FORBIDDEN',
      undefined,
    ],
    [
      'policy.patientId differs from patientId',
      patient.actor,
      patient.resolved,
      { ...signed(), patientId: participant('patient').resolved.id },
      'VALIDATION_FAILED',
      'PATIENT_MISMATCH',
    ],
    [
      'a revoked patient',
      patient.actor,
      { ...patient.resolved, status: 'revoked' },
      signed(),
      'FORBIDDEN',
      undefined,
    ],
    [
      'signed with another key',
      patient.actor,
      patient.resolved,
      policyRequest(
        policyOf(patient, { signedAt: NOW.toISOString() }),
        generateParticipantKeys().signing.secretKey,
      ),
      'VALIDATION_FAILED',
      'BAD_SIGNATURE',
    ],
    [
      'a forged signature',
      patient.actor,
      patient.resolved,
      { ...signed(), signature: forgedSignature() },
      'VALIDATION_FAILED',
      'BAD_SIGNATURE',
    ],
    [
      'a signed policy altered afterwards',
      patient.actor,
      patient.resolved,
      { ...signed(), policy: { ...signed().policy, breakGlass: false } },
      'VALIDATION_FAILED',
      'BAD_SIGNATURE',
    ],
    [
      'signed an hour ago',
      patient.actor,
      patient.resolved,
      signed({ signedAt: new Date(NOW.getTime() - minutes(60)).toISOString() }),
      'VALIDATION_FAILED',
      'SIGNED_AT_SKEW',
    ],
  ])('%s', (_name, actor, known, request, code, reason) => {
    const refusal = policySetRefusal({ actor, patient: known, request, now: NOW });
    expect(refusal?.code).toBe(code);
    expect(refusal?.reason).toBe(reason);
  });
});

describe('policyVersionRefusal', () => {
  it.each([
    [0, 1, undefined],
    [0, 7, undefined],
    [1, 2, undefined],
    [2, 2, 'CONFLICT'],
    [3, 2, 'CONFLICT'],
  ])('stored %i, new %i', (stored, version, code) => {
    expect(policyVersionRefusal(stored, signed({ policyVersion: version }))?.code).toBe(code);
  });
});
