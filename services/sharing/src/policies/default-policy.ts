import type { PolicyView } from '@sec-health/protocol';

/**
 * DESIGN.md section 6's policy for a patient who signed none: break-glass on, confidentiality N
 * only, every category, no stigma sensitivity opted in, sessions of at most an hour, nobody to
 * tell. PolicyView requires policyVersion >= 1, so the default shows version 1; `source:
 * 'default'` and the null signature tell it from a signed version 1. The first signed policy may
 * take any version from 1 up (nothing is stored yet).
 */
export function defaultPolicyView(patientId: string): PolicyView {
  return {
    source: 'default',
    policy: {
      patientId,
      policyVersion: 1,
      breakGlass: true,
      confidentiality: ['N'],
      sensitivityOptIn: [],
      maxSessionMinutes: 60,
      contacts: [],
      signedAt: null,
    },
    signature: null,
    anchor: null,
  };
}
