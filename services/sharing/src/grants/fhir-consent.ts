import type { Consent } from '@sec-health/protocol';

import { grantStatus, type ConsentState } from './consent-state.js';

/** Our code system for record categories (DESIGN.md section 6), used in provision.code. */
export const RECORD_CATEGORY_SYSTEM = 'urn:sec-health:fhir:record-category';

const CONSENT_SCOPE = 'http://terminology.hl7.org/CodeSystem/consentscope';
const LOINC = 'http://loinc.org';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const PARTICIPATION_TYPE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const CONSENT_ACTION = 'http://terminology.hl7.org/CodeSystem/consentaction';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';

interface Coding {
  readonly system: string;
  readonly code: string;
  readonly display?: string;
}

/** The parts of a FHIR R4 Consent this mapping fills (validated with @medplum/core in its spec). */
// A type alias, not an interface: it must be assignable to the contract's open FhirResource.
export type FhirConsent = {
  readonly resourceType: 'Consent';
  readonly id: string;
  readonly identifier: readonly { readonly system: string; readonly value: string }[];
  readonly status: 'active' | 'inactive';
  readonly scope: { readonly coding: readonly Coding[] };
  readonly category: readonly { readonly coding: readonly Coding[] }[];
  readonly patient: { readonly reference: string };
  readonly dateTime: string;
  readonly policyRule: { readonly coding: readonly Coding[] };
  readonly provision: {
    readonly type: 'permit';
    readonly period: { readonly start: string; readonly end: string };
    readonly actor: readonly {
      readonly role: { readonly coding: readonly Coding[] };
      readonly reference: { readonly reference: string };
    }[];
    readonly action: readonly { readonly coding: readonly Coding[] }[];
    readonly purpose: readonly Coding[];
    readonly data?: readonly {
      readonly meaning: 'instance';
      readonly reference: { readonly reference: string };
    }[];
    readonly code?: readonly { readonly coding: readonly Coding[] }[];
  };
};

/**
 * A grant as a FHIR R4 Consent: a privacy consent (scope patient-privacy, LOINC 59284-0) by
 * Patient/<patientId>, opt-in, permitting the grantee (information recipient: a Practitioner for
 * treatment, an Organization for research) to access (read) or correct (write) the records named
 * (DocumentReference/<recordId>) and the categories listed (provision.code) for the purpose
 * (TREAT or HRESCH) between validFrom and expiresAt. A revoked or expired grant is inactive.
 */
export function toFhirConsent(state: ConsentState, now: Date): FhirConsent {
  const { consent } = state;
  const { recordIds, categories } = consent.scope;
  return {
    resourceType: 'Consent',
    id: consent.consentId,
    identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${consent.consentId}` }],
    status: grantStatus(state, now) === 'active' ? 'active' : 'inactive',
    scope: {
      coding: [{ system: CONSENT_SCOPE, code: 'patient-privacy', display: 'Privacy Consent' }],
    },
    category: [{ coding: [{ system: LOINC, code: '59284-0', display: 'Patient Consent' }] }],
    patient: { reference: `Patient/${consent.patientId}` },
    dateTime: fhirInstant(consent.signedAt),
    policyRule: { coding: [{ system: ACT_CODE, code: 'OPTIN', display: 'opt-in' }] },
    provision: {
      type: 'permit',
      period: { start: fhirInstant(consent.validFrom), end: fhirInstant(consent.expiresAt) },
      actor: [
        {
          role: {
            coding: [
              { system: PARTICIPATION_TYPE, code: 'IRCP', display: 'information recipient' },
            ],
          },
          reference: { reference: granteeReference(consent) },
        },
      ],
      action: [{ coding: [actionOf(consent)] }],
      purpose: [purposeOf(consent)],
      ...(recordIds.length > 0
        ? {
            data: recordIds.map((id) => ({
              meaning: 'instance' as const,
              reference: { reference: `DocumentReference/${id}` },
            })),
          }
        : {}),
      ...(categories.length > 0
        ? {
            code: categories.map((category) => ({
              coding: [{ system: RECORD_CATEGORY_SYSTEM, code: category }],
            })),
          }
        : {}),
    },
  };
}

function granteeReference(consent: Consent): string {
  return consent.purposeOfUse === 'research'
    ? `Organization/${consent.granteeId}`
    : `Practitioner/${consent.granteeId}`;
}

function actionOf(consent: Consent): Coding {
  return consent.permission === 'read'
    ? { system: CONSENT_ACTION, code: 'access', display: 'Access' }
    : { system: CONSENT_ACTION, code: 'correct', display: 'Access and Correct' };
}

function purposeOf(consent: Consent): Coding {
  return consent.purposeOfUse === 'research'
    ? { system: ACT_REASON, code: 'HRESCH', display: 'healthcare research' }
    : { system: ACT_REASON, code: 'TREAT', display: 'treatment' };
}

// FHIR dateTime wants seconds and a zone; an ISO time with an offset and no seconds is valid
// in the consent, so the same instant is written out in full UTC.
function fhirInstant(iso: string): string {
  return new Date(Date.parse(iso)).toISOString();
}
