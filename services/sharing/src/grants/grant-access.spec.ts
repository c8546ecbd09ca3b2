import type { Consent } from '@sec-health/protocol';
import { describe, expect, it } from 'vitest';

import { consentOf, minutes, participant } from '../../test/support/fixtures.js';
import type { ConsentState } from './consent-state.js';
import { addKeysRefusal, recipientsRefusal, viewRefusal } from './grant-access.js';
import { revocationRefusal } from './revocation-rules.js';

const NOW = new Date('2026-12-01T09:30:00.000Z');
const at = (offsetMinutes: number) =>
  new Date(NOW.getTime() + minutes(offsetMinutes)).toISOString();
const patient = participant('patient');
const physician = participant('collaborator');
const lab = participant('collaborator', { kind: 'lab' });
const stranger = participant('collaborator');
const otherPatient = participant('patient');

const grant = (
  grantee = physician,
  fields: Partial<Consent> = {},
  revoked = false,
  from = patient,
): ConsentState => ({
  consent: consentOf(from, grantee, fields, NOW),
  revokedAt: revoked ? NOW : null,
});
const readGrant = grant();
const labWrite = grant(lab, {
  permission: 'write',
  scope: { recordIds: [], categories: ['observations'] },
});

describe('viewRefusal (grant.get, grant.fhir)', () => {
  it.each([
    ['its patient', patient, undefined],
    ['its grantee', physician, undefined],
    ['anyone else: it does not exist', stranger, 'NOT_FOUND'],
    ['another patient', otherPatient, 'NOT_FOUND'],
  ] as const)('%s', (_name, who, code) => {
    expect(viewRefusal(who.actor, readGrant)?.code).toBe(code);
  });
});

describe('revocationRefusal', () => {
  it.each([
    ['its patient', patient, undefined],
    ['its grantee', physician, 'FORBIDDEN'],
    ['anyone else', stranger, 'NOT_FOUND'],
  ] as const)('%s', (_name, who, code) => {
    expect(revocationRefusal(who.actor, readGrant)?.code).toBe(code);
  });
});

describe('addKeysRefusal', () => {
  it.each([
    ['the patient, to an active grant', patient, readGrant, [], undefined, undefined],
    [
      'a lab with a write grant in effect from the patient',
      lab,
      readGrant,
      [labWrite],
      undefined,
      undefined,
    ],
    ['the grantee itself', physician, readGrant, [], 'FORBIDDEN', undefined],
    ['a stranger', stranger, readGrant, [], 'NOT_FOUND', undefined],
    [
      'a lab whose write grant was revoked',
      lab,
      readGrant,
      [grant(lab, { permission: 'write' }, true)],
      'NOT_FOUND',
      undefined,
    ],
    [
      'a lab whose write grant expired',
      lab,
      readGrant,
      [grant(lab, { permission: 'write', validFrom: at(-20), expiresAt: at(-10) })],
      'NOT_FOUND',
      undefined,
    ],
    [
      'a lab whose write grant is not valid yet',
      lab,
      readGrant,
      [grant(lab, { permission: 'write', validFrom: at(10) })],
      'NOT_FOUND',
      undefined,
    ],
    ['a lab with a read grant only', lab, readGrant, [grant(lab)], 'NOT_FOUND', undefined],
    [
      "a lab with another patient's write grant",
      lab,
      readGrant,
      [grant(lab, { permission: 'write' }, false, otherPatient)],
      'NOT_FOUND',
      undefined,
    ],
    [
      'the patient, to a revoked grant',
      patient,
      grant(physician, {}, true),
      [],
      'CONFLICT',
      'GRANT_NOT_ACTIVE',
    ],
    [
      'the patient, to an expired grant',
      patient,
      grant(physician, { validFrom: at(-20), expiresAt: at(-10) }),
      [],
      'CONFLICT',
      'GRANT_NOT_ACTIVE',
    ],
  ] as const)('%s', (_name, who, target, actorGrants, code, reason) => {
    const refusal = addKeysRefusal(who.actor, target, actorGrants, NOW);
    expect(refusal?.code).toBe(code);
    expect(refusal?.reason).toBe(reason);
  });
});

describe('recipientsRefusal', () => {
  const ask = (category: 'observations' | 'allergies', recordId?: string) => ({
    patientId: patient.resolved.id,
    category,
    ...(recordId ? { recordId } : {}),
  });
  const RECORD = '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f30';
  it.each([
    ['the patient', patient, ask('allergies'), [], undefined],
    ['a lab with a write grant for the category', lab, ask('observations'), [labWrite], undefined],
    ['a lab asking for another category', lab, ask('allergies'), [labWrite], 'FORBIDDEN'],
    [
      'a lab with a write grant naming the record',
      lab,
      ask('allergies', RECORD),
      [grant(lab, { permission: 'write', scope: { recordIds: [RECORD], categories: [] } })],
      undefined,
    ],
    ['a physician with a read grant', physician, ask('allergies'), [readGrant], 'FORBIDDEN'],
    ['a stranger', stranger, ask('allergies'), [], 'FORBIDDEN'],
    [
      'a lab whose write grant was revoked',
      lab,
      ask('observations'),
      [
        grant(
          lab,
          { permission: 'write', scope: { recordIds: [], categories: ['observations'] } },
          true,
        ),
      ],
      'FORBIDDEN',
    ],
  ] as const)('%s', (_name, who, request, actorGrants, code) => {
    expect(recipientsRefusal(who.actor, request, actorGrants, NOW)?.code).toBe(code);
  });
});
