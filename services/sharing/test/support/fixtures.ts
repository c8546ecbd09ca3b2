import { randomUUID } from 'node:crypto';

import {
  generateParticipantKeys,
  randomBytes,
  sha256,
  signCanonical,
  toBase64Url,
  toHex,
  utf8,
  type ParticipantKeys,
} from '@sec-health/crypto';
import {
  consentRevocationStatement,
  consentStatement,
  emergencyPolicyStatement,
  type CollaboratorKind,
  type Consent,
  type CreateGrantRequest,
  type EmergencyPolicy,
  type GrantKey,
  type ResolvedParticipant,
  type RevokeGrantRequest,
  type Role,
  type SetPolicyRequest,
} from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';

// Participants with real keys, and the documents they sign, as a client builds them: shared by
// the unit tables and the integration suites.

export interface TestParticipant {
  readonly resolved: ResolvedParticipant;
  readonly keys: ParticipantKeys;
  /** How the gateway asserts this participant (logged in with its current key version). */
  readonly actor: Actor;
}

export function participant(
  role: Role,
  overrides: Partial<Omit<ResolvedParticipant, 'keys'>> = {},
  keys: ParticipantKeys = generateParticipantKeys(),
): TestParticipant {
  const id = overrides.id ?? randomUUID();
  const kind: CollaboratorKind | null = role === 'collaborator' ? 'physician' : null;
  const resolved: ResolvedParticipant = {
    id,
    role,
    kind,
    organizationId: role === 'patient' ? null : randomUUID(),
    status: 'active',
    keys: {
      signing: toBase64Url(keys.signing.publicKey),
      encryption: toBase64Url(keys.encryption.publicKey),
    },
    keyVersion: 1,
    // A patient's reference is a random pseudonym; others' derive from the id (DESIGN.md 4).
    participantRef:
      role === 'patient'
        ? `0x${toHex(randomBytes(32))}`
        : `0x${toHex(sha256(utf8(`sec-health/participant-ref/v1:${id}`)))}`,
    ...overrides,
  };
  return {
    resolved,
    keys,
    actor: {
      id,
      role: resolved.role,
      organizationId: resolved.organizationId,
      keyVersion: resolved.keyVersion,
    },
  };
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A consent from `patient` to `grantee`: read, treatment, allergies, for 30 days from now. */
export function consentOf(
  patient: TestParticipant,
  grantee: TestParticipant,
  fields: Partial<Consent> = {},
  now: Date = new Date(),
): Consent {
  return {
    consentId: randomUUID(),
    patientId: patient.resolved.id,
    granteeId: grantee.resolved.id,
    scope: { recordIds: [], categories: ['allergies'] },
    permission: 'read',
    purposeOfUse: 'treatment',
    validFrom: new Date(now.getTime() - MINUTE).toISOString(),
    expiresAt: new Date(now.getTime() + 30 * DAY).toISOString(),
    signedAt: now.toISOString(),
    ...fields,
  };
}

export function signConsent(secretKey: Uint8Array, consent: Consent): string {
  return toBase64Url(signCanonical(secretKey, consentStatement(consent)));
}

/** A grant request signed by `signer` (the patient's own key unless said otherwise). */
export function grantRequest(
  consent: Consent,
  signer: Uint8Array,
  keys: GrantKey[] = [],
): CreateGrantRequest {
  return { consent, signature: signConsent(signer, consent), keys };
}

/** A stand-in wrapped key (81 random bytes): the rules never open keys. */
export function grantKey(
  recordId: string,
  recipient: ResolvedParticipant,
  fields: { version?: number; recipientKeyVersion?: number } = {},
): GrantKey {
  return {
    recordId,
    version: fields.version ?? 1,
    wrappedKey: {
      recipientId: recipient.id,
      recipientKeyVersion: fields.recipientKeyVersion ?? recipient.keyVersion,
      wrappedKey: toBase64Url(randomBytes(81)),
    },
  };
}

export function revocationRequest(
  consent: Consent,
  signer: Uint8Array,
  signedAt: string = new Date().toISOString(),
): RevokeGrantRequest {
  const statement = consentRevocationStatement({
    consentId: consent.consentId,
    patientId: consent.patientId,
    signedAt,
  });
  return {
    consentId: consent.consentId,
    signedAt,
    signature: toBase64Url(signCanonical(signer, statement)),
  };
}

export function policyOf(
  patient: TestParticipant,
  fields: Partial<EmergencyPolicy> = {},
): EmergencyPolicy {
  return {
    patientId: patient.resolved.id,
    policyVersion: 1,
    breakGlass: true,
    confidentiality: ['N', 'R'],
    categories: ['allergies', 'medications'],
    sensitivityOptIn: [],
    maxSessionMinutes: 90,
    contacts: [{ name: 'Ana Souza', email: 'ana@example.org' }],
    signedAt: new Date().toISOString(),
    ...fields,
  };
}

export function policyRequest(policy: EmergencyPolicy, signer: Uint8Array): SetPolicyRequest {
  return {
    patientId: policy.patientId,
    policy,
    signature: toBase64Url(signCanonical(signer, emergencyPolicyStatement(policy))),
  };
}

/** A valid-looking signature by nobody. */
export function forgedSignature(): string {
  return toBase64Url(randomBytes(64));
}

export const minutes = (n: number) => n * MINUTE;
