import { createHash } from 'node:crypto';

import type { Consent, EmergencyPolicy } from '@sec-health/protocol';
import { describe, expect, it } from 'vitest';

import { consentHash, policyHash, revocationHash } from './anchored-hashes.js';

const SIGNATURE = 'A'.repeat(86);
const sha256Hex = (text: string) => `0x${createHash('sha256').update(text, 'utf8').digest('hex')}`;

const consent: Consent = {
  consentId: '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f32',
  patientId: '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f31',
  granteeId: '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f30',
  scope: { recordIds: [], categories: ['allergies', 'medications'] },
  permission: 'read',
  purposeOfUse: 'treatment',
  validFrom: '2026-12-01T09:30:00.000Z',
  expiresAt: '2027-03-01T09:30:00.000Z',
  signedAt: '2026-12-01T09:30:00.000Z',
};

describe('anchored hashes (RFC 8785 canonical JSON, SHA-256)', () => {
  it('hashes {consent, signature} with its keys sorted, whatever order they were built in', () => {
    // The canonical text written out by hand: members sorted by key, no whitespace.
    const text =
      '{"consent":{"consentId":"0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f32",' +
      '"expiresAt":"2027-03-01T09:30:00.000Z",' +
      '"granteeId":"0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f30",' +
      '"patientId":"0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f31",' +
      '"permission":"read","purposeOfUse":"treatment",' +
      '"scope":{"categories":["allergies","medications"],"recordIds":[]},' +
      '"signedAt":"2026-12-01T09:30:00.000Z","validFrom":"2026-12-01T09:30:00.000Z"},' +
      `"signature":"${SIGNATURE}"}`;
    expect(consentHash(consent, SIGNATURE)).toBe(sha256Hex(text));
    const reordered = Object.fromEntries(Object.entries(consent).reverse()) as Consent;
    expect(consentHash(reordered, SIGNATURE)).toBe(consentHash(consent, SIGNATURE));
    expect(consentHash(consent, SIGNATURE)).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('hashes a revocation as {consentId, signature, signedAt}', () => {
    const fields = {
      consentId: consent.consentId,
      signedAt: '2026-12-02T10:00:00.000Z',
      signature: SIGNATURE,
    };
    expect(revocationHash(fields)).toBe(
      sha256Hex(
        `{"consentId":"${consent.consentId}","signature":"${SIGNATURE}","signedAt":"2026-12-02T10:00:00.000Z"}`,
      ),
    );
    expect(revocationHash({ ...fields, signedAt: '2026-12-02T10:00:01.000Z' })).not.toBe(
      revocationHash(fields),
    );
  });

  it('hashes {policy, signature}, numbers and booleans as JSON', () => {
    const policy: EmergencyPolicy = {
      patientId: consent.patientId,
      policyVersion: 2,
      breakGlass: true,
      confidentiality: ['N'],
      sensitivityOptIn: [],
      maxSessionMinutes: 60,
      contacts: [],
      signedAt: '2026-12-01T09:30:00.000Z',
    };
    expect(policyHash(policy, SIGNATURE)).toBe(
      sha256Hex(
        `{"policy":{"breakGlass":true,"confidentiality":["N"],"contacts":[],"maxSessionMinutes":60,` +
          `"patientId":"${consent.patientId}","policyVersion":2,"sensitivityOptIn":[],` +
          `"signedAt":"2026-12-01T09:30:00.000Z"},"signature":"${SIGNATURE}"}`,
      ),
    );
    expect(policyHash({ ...policy, policyVersion: 3 }, SIGNATURE)).not.toBe(
      policyHash(policy, SIGNATURE),
    );
  });
});
