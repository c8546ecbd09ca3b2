import { generateParticipantKeys } from '@sec-health/crypto';
import { describe, expect, it } from 'vitest';

import {
  consentOf,
  forgedSignature,
  minutes,
  participant,
  revocationRequest,
} from '../../test/support/fixtures.js';
import { revocationSigningRefusal } from './revocation-rules.js';

const NOW = new Date('2026-12-01T09:30:00.000Z');
const patient = participant('patient');
const physician = participant('collaborator');
const state = { consent: consentOf(patient, physician, {}, NOW), revokedAt: null };
const otherConsent = consentOf(patient, physician, {}, NOW);

describe('revocationSigningRefusal', () => {
  it.each([
    [
      'signed now by the patient',
      revocationRequest(state.consent, patient.keys.signing.secretKey, NOW.toISOString()),
      patient.resolved,
      undefined,
      undefined,
    ],
    [
      'signed with another key',
      revocationRequest(
        state.consent,
        generateParticipantKeys().signing.secretKey,
        NOW.toISOString(),
      ),
      patient.resolved,
      'VALIDATION_FAILED',
      'BAD_SIGNATURE',
    ],
    [
      'a signature for another consent',
      {
        ...revocationRequest(otherConsent, patient.keys.signing.secretKey, NOW.toISOString()),
        consentId: state.consent.consentId,
      },
      patient.resolved,
      'VALIDATION_FAILED',
      'BAD_SIGNATURE',
    ],
    [
      'a forged signature',
      {
        ...revocationRequest(state.consent, patient.keys.signing.secretKey, NOW.toISOString()),
        signature: forgedSignature(),
      },
      patient.resolved,
      'VALIDATION_FAILED',
      'BAD_SIGNATURE',
    ],
    [
      'signed ten minutes ago',
      revocationRequest(
        state.consent,
        patient.keys.signing.secretKey,
        new Date(NOW.getTime() - minutes(10)).toISOString(),
      ),
      patient.resolved,
      'VALIDATION_FAILED',
      'SIGNED_AT_SKEW',
    ],
    [
      'by a revoked patient',
      revocationRequest(state.consent, patient.keys.signing.secretKey, NOW.toISOString()),
      { ...patient.resolved, status: 'revoked' as const },
      'FORBIDDEN',
      undefined,
    ],
  ])('%s', (_name, request, known, code, reason) => {
    const refusal = revocationSigningRefusal(patient.actor, known, state, request, NOW);
    expect(refusal?.code).toBe(code);
    expect(refusal?.reason).toBe(reason);
  });
});
