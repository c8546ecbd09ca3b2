import { generateParticipantKeys, type ParticipantKeys } from '@sec-health/crypto';
import type { Consent, GrantKey, ResolvedParticipant } from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';
import { describe, expect, it } from 'vitest';

import {
  consentOf,
  forgedSignature,
  grantKey,
  grantRequest,
  minutes,
  participant,
} from '../../test/support/fixtures.js';
import { eligibilityRefusal, grantCreationRefusal } from './grant-creation-rules.js';

const NOW = new Date('2026-12-01T09:30:00.000Z');
const patient = participant('patient');
const physician = participant('collaborator');
const lab = participant('collaborator', { kind: 'lab' });
const research = participant('research');
const attendant = participant('attendant');
const otherKeys: ParticipantKeys = generateParticipantKeys();
const RECORD = '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f30';
const OTHER_RECORD = '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f39';

interface Case {
  readonly actor?: Actor;
  readonly patient?: ResolvedParticipant | null;
  readonly grantee?: ResolvedParticipant | null;
  readonly consent?: Partial<Consent>;
  readonly signWith?: Uint8Array;
  readonly signature?: string;
  readonly keys?: (grantee: ResolvedParticipant) => GrantKey[];
}

function decide(c: Case) {
  const grantee = c.grantee === undefined ? physician.resolved : c.grantee;
  const granteeTest = grantee ? { ...physician, resolved: grantee } : physician;
  const consent = consentOf(patient, granteeTest, c.consent ?? {}, NOW);
  const request = grantRequest(
    consent,
    c.signWith ?? patient.keys.signing.secretKey,
    c.keys ? c.keys(grantee ?? physician.resolved) : [],
  );
  return grantCreationRefusal({
    actor: c.actor ?? patient.actor,
    patient: c.patient === undefined ? patient.resolved : (c.patient ?? undefined),
    grantee: grantee ?? undefined,
    request: c.signature ? { ...request, signature: c.signature } : request,
    now: NOW,
  });
}

describe('grantCreationRefusal', () => {
  it.each<[string, Case, string | undefined, string | undefined]>([
    ['the patient, to a physician, for treatment', {}, undefined, undefined],
    [
      'a write grant to a lab',
      { grantee: lab.resolved, consent: { permission: 'write' } },
      undefined,
      undefined,
    ],
    [
      'a read grant to research, for research',
      { grantee: research.resolved, consent: { purposeOfUse: 'research' } },
      undefined,
      undefined,
    ],
    [
      'keys named in the scope, at the current key version',
      {
        consent: { scope: { recordIds: [RECORD], categories: [] } },
        keys: (g) => [grantKey(RECORD, g), grantKey(RECORD, g, { version: 2 })],
      },
      undefined,
      undefined,
    ],
    [
      'keys of any record under a category scope',
      { keys: (g) => [grantKey(OTHER_RECORD, g)] },
      undefined,
      undefined,
    ],
    ['a physician granting', { actor: physician.actor }, 'FORBIDDEN', undefined],
    [
      "a patient granting another patient's records",
      { actor: participant('patient').actor },
      'FORBIDDEN',
      undefined,
    ],
    ['a patient the authority does not know', { patient: null }, 'FORBIDDEN', undefined],
    [
      'a revoked patient',
      { patient: { ...patient.resolved, status: 'revoked' } },
      'FORBIDDEN',
      undefined,
    ],
    [
      'a session from before the key rotation',
      { patient: { ...patient.resolved, keyVersion: 2 } },
      'UNAUTHENTICATED',
      undefined,
    ],
    ['an unknown grantee', { grantee: null }, 'NOT_FOUND', undefined],
    [
      'a pending grantee',
      { grantee: { ...physician.resolved, status: 'pending' } },
      'CONFLICT',
      'GRANTEE_NOT_ACTIVE',
    ],
    [
      'a revoked grantee',
      { grantee: { ...physician.resolved, status: 'revoked' } },
      'CONFLICT',
      'GRANTEE_NOT_ACTIVE',
    ],
    [
      'an attendant grantee',
      { grantee: attendant.resolved },
      'VALIDATION_FAILED',
      'GRANTEE_NOT_ELIGIBLE',
    ],
    [
      'a physician for research',
      { consent: { purposeOfUse: 'research' } },
      'VALIDATION_FAILED',
      'GRANTEE_NOT_ELIGIBLE',
    ],
    [
      'research with write permission',
      { grantee: research.resolved, consent: { purposeOfUse: 'research', permission: 'write' } },
      'VALIDATION_FAILED',
      'GRANTEE_NOT_ELIGIBLE',
    ],
    [
      'signed with another key',
      { signWith: otherKeys.signing.secretKey },
      'VALIDATION_FAILED',
      'BAD_SIGNATURE',
    ],
    [
      "signed with the grantee's key",
      { signWith: physician.keys.signing.secretKey },
      'VALIDATION_FAILED',
      'BAD_SIGNATURE',
    ],
    ['a forged signature', { signature: forgedSignature() }, 'VALIDATION_FAILED', 'BAD_SIGNATURE'],
    [
      'signed six minutes ago (a replay)',
      { consent: { signedAt: new Date(NOW.getTime() - minutes(6)).toISOString() } },
      'VALIDATION_FAILED',
      'SIGNED_AT_SKEW',
    ],
    [
      'signed six minutes ahead',
      { consent: { signedAt: new Date(NOW.getTime() + minutes(6)).toISOString() } },
      'VALIDATION_FAILED',
      'SIGNED_AT_SKEW',
    ],
    [
      'already expired',
      {
        consent: {
          validFrom: new Date(NOW.getTime() - minutes(60)).toISOString(),
          expiresAt: new Date(NOW.getTime() - minutes(1)).toISOString(),
        },
      },
      'VALIDATION_FAILED',
      'EXPIRED',
    ],
    [
      'a key wrapped to someone else',
      { keys: () => [grantKey(RECORD, research.resolved)] },
      'VALIDATION_FAILED',
      'WRONG_RECIPIENT',
    ],
    [
      "a key at the grantee's old key version",
      {
        grantee: { ...physician.resolved, keyVersion: 2 },
        keys: (g) => [grantKey(RECORD, g, { recipientKeyVersion: 1 })],
      },
      'VALIDATION_FAILED',
      'STALE_RECIPIENT_KEY',
    ],
    [
      'a key of a record the scope does not name',
      {
        consent: { scope: { recordIds: [RECORD], categories: [] } },
        keys: (g) => [grantKey(OTHER_RECORD, g)],
      },
      'VALIDATION_FAILED',
      'OUT_OF_SCOPE',
    ],
    [
      'a key beyond uint32 versions',
      { keys: (g) => [grantKey(RECORD, g, { version: 2 ** 32 })] },
      'VALIDATION_FAILED',
      'OUT_OF_SCOPE',
    ],
    [
      'the same record version twice',
      { keys: (g) => [grantKey(RECORD, g), grantKey(RECORD, g)] },
      'VALIDATION_FAILED',
      'DUPLICATE_KEY',
    ],
  ])('%s', (_name, c, code, reason) => {
    const refusal = decide(c);
    expect(refusal?.code).toBe(code);
    expect(refusal?.reason).toBe(reason);
  });
});

describe('eligibilityRefusal', () => {
  const base = consentOf(patient, physician, {}, NOW);
  it.each([
    ['collaborator', 'treatment', 'read', true],
    ['collaborator', 'treatment', 'write', true],
    ['collaborator', 'research', 'read', false],
    ['research', 'research', 'read', true],
    ['research', 'research', 'write', false],
    ['research', 'treatment', 'read', false],
    ['patient', 'treatment', 'read', false],
    ['emergency-server', 'treatment', 'read', false],
    ['authority', 'treatment', 'read', false],
  ] as const)('%s, %s, %s: %s', (role, purposeOfUse, permission, allowed) => {
    expect(eligibilityRefusal(role, { ...base, purposeOfUse, permission }) === undefined).toBe(
      allowed,
    );
  });
});
