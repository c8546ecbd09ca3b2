import { describe, expect, it } from 'vitest';

import { consentOf, minutes, participant } from '../../test/support/fixtures.js';
import { covers, grantStatus, inEffect, type ConsentState } from './consent-state.js';

const NOW = new Date('2026-12-01T09:30:00.000Z');
const at = (offsetMinutes: number) =>
  new Date(NOW.getTime() + minutes(offsetMinutes)).toISOString();
const patient = participant('patient');
const physician = participant('collaborator');

function state(validFrom: number, expiresAt: number, revoked = false): ConsentState {
  return {
    consent: consentOf(
      patient,
      physician,
      { validFrom: at(validFrom), expiresAt: at(expiresAt) },
      NOW,
    ),
    revokedAt: revoked ? NOW : null,
  };
}

describe('grantStatus and inEffect', () => {
  it.each([
    ['running', state(-10, 10), 'active', true],
    ['not valid yet', state(5, 10), 'active', false],
    ['valid from this instant', state(0, 10), 'active', true],
    ['expiring at this instant', state(-10, 0), 'expired', false],
    ['expired', state(-10, -1), 'expired', false],
    ['revoked while running', state(-10, 10, true), 'revoked', false],
    ['revoked after it expired', state(-10, -1, true), 'revoked', false],
  ] as const)('%s: %s', (_name, s, status, effective) => {
    expect(grantStatus(s, NOW)).toBe(status);
    expect(inEffect(s, NOW)).toBe(effective);
  });
});

describe('covers', () => {
  const RECORD = '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f30';
  it.each([
    ['the category', { recordIds: [], categories: ['allergies'] }, 'allergies', RECORD, true],
    ['another category', { recordIds: [], categories: ['allergies'] }, 'notes', RECORD, false],
    ['the record by id', { recordIds: [RECORD], categories: [] }, 'notes', RECORD, true],
    ['another record', { recordIds: [RECORD], categories: [] }, 'notes', undefined, false],
  ] as const)('%s', (_name, scope, category, recordId, expected) => {
    expect(
      covers(
        { recordIds: [...scope.recordIds], categories: [...scope.categories] },
        category,
        recordId,
      ),
    ).toBe(expected);
  });
});
