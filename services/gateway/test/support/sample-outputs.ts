import {
  natsContracts,
  type DirectoryEntry,
  type Participant,
  type ParticipantStatus,
  type Role,
} from '@sec-health/protocol';

const KEYS = {
  signing: 'o4mDQ0fhUz_k1g-yHLoEchQzbL4Gd3sM_1SWSvk3e1A',
  encryption: 'hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo',
};

/** The directory entry the stand-in reports for a participant (status checks, logins). */
export function directoryEntry(
  id: string,
  role: Role,
  status: ParticipantStatus,
  signing = KEYS.signing,
  organizationId: string | null = null,
  keyVersion = 1,
): DirectoryEntry {
  return {
    id,
    role,
    kind: null,
    organizationId,
    status,
    keys: { signing, encryption: KEYS.encryption },
    keyVersion,
    participantRef: `0x${'ab'.repeat(32)}`,
    attestation: null,
  };
}

export const SAMPLE_PARTICIPANT: Participant = {
  id: '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f20',
  role: 'patient',
  kind: null,
  organizationId: null,
  status: 'pending',
  profile: { displayName: 'Ana Souza' },
  keys: KEYS,
  keyVersion: 1,
  participantRef: null,
  createdAt: '2026-12-01T09:30:00.000Z',
  attestation: null,
};

/** A valid answer for each service subject: the gateway checks replies against the contract. */
export function sampleOutput(subject: string): unknown {
  const c = natsContracts;
  switch (subject) {
    case c.organizationCreate.subject:
      return {
        id: SAMPLE_PARTICIPANT.id,
        name: 'General Hospital',
        createdAt: SAMPLE_PARTICIPANT.createdAt,
      };
    case c.participantSearch.subject:
      return { items: [SAMPLE_PARTICIPANT], next: null };
    case c.directoryGet.subject:
      return directoryEntry(SAMPLE_PARTICIPANT.id, 'patient', 'active');
    default:
      return SAMPLE_PARTICIPANT;
  }
}
