import { sha256CanonicalHex } from '@sec-health/crypto';
import {
  CONTENT_CHUNK_BYTES,
  httpRoutes,
  natsContracts,
  PutRecordRequest,
  type DirectoryEntry,
  type Grant,
  type NatsContractId,
  type Participant,
  type ParticipantStatus,
  type RecordAccess,
  type RecordMetadata,
  type RecordVersion,
  type Role,
} from '@sec-health/protocol';
import type { z } from '@sec-health/service-kit';

const KEYS = {
  signing: 'o4mDQ0fhUz_k1g-yHLoEchQzbL4Gd3sM_1SWSvk3e1A',
  encryption: 'hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo',
};
const SIGNATURE =
  'kuUxAuazQKfSTWNiXHm3mCJaxqkWWOT6jlANYKHQ7s5L6OjFrFtbHCpdEPPDa4WCdUwi1AbnzGkjYd_qAWj3Bg';
const AT = '2026-12-01T09:30:00.000Z';
const LATER = '2027-03-01T09:30:00.000Z';
const CONFIRMED = { status: 'confirmed', txHash: `0x${'7c'.repeat(32)}`, blockNumber: 42 } as const;
const IDS = {
  upload: '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f50',
  consent: '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f51',
  grantee: '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f52',
  servers: [
    '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f41',
    '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f42',
    '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f43',
  ],
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
  createdAt: AT,
  attestation: null,
};

/** The signed metadata, wrapped key and shares of the route table's records.put example. */
const PUT_EXAMPLE = PutRecordRequest.parse(httpRoutes.find((r) => r.id === 'records.put')!.example);
const METADATA = PUT_EXAMPLE.signed.metadata;

/** A stored record version: the records.put example's metadata with `changes`, anchored. */
export function recordVersion(changes: Partial<RecordMetadata> = {}): RecordVersion {
  return {
    signed: { ...PUT_EXAMPLE.signed, metadata: { ...METADATA, ...changes } },
    storedAt: AT,
    anchor: CONFIRMED,
  };
}

/** What storage.record.get answers for a readable, verified version. */
export function recordAccess(changes: Partial<RecordMetadata> = {}): RecordAccess {
  const record = recordVersion(changes);
  return {
    record,
    wrappedKey: PUT_EXAMPLE.keys[0]!,
    integrity: {
      status: 'verified',
      signatureValid: true,
      metadataMatchesAnchor: true,
      contentMatchesAnchor: null,
      anchoredHash: record.signed.metadata.ciphertextHash,
      anchoredMetadataHash: sha256CanonicalHex(record.signed),
      problems: [],
    },
  };
}

const SCOPE = { recordIds: [], categories: ['allergies' as const] };

const GRANT: Grant = {
  consent: {
    consentId: IDS.consent,
    patientId: METADATA.patientId,
    granteeId: IDS.grantee,
    scope: SCOPE,
    permission: 'read',
    purposeOfUse: 'treatment',
    validFrom: AT,
    expiresAt: LATER,
    signedAt: AT,
  },
  signature: SIGNATURE,
  status: 'active',
  revokedAt: null,
  keyCount: 1,
  anchor: CONFIRMED,
  revocationAnchor: null,
};

const SESSION: z.output<typeof natsContracts.sessionGet.output> = {
  sessionId: '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f53',
  patientId: METADATA.patientId,
  attendantId: IDS.grantee,
  organizationId: '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f54',
  collaboratorId: SAMPLE_PARTICIPANT.id,
  reasonCode: 'ETREAT',
  notes: null,
  location: null,
  status: 'open',
  openedAt: AT,
  expiresAt: LATER,
  closedAt: null,
  closeReason: null,
  anchor: CONFIRMED,
};

/** Contracts the gateway may call: all but the services' internal reads. */
type GatewayContractId = {
  [K in NatsContractId]: (typeof natsContracts)[K]['caller'] extends 'service' ? never : K;
}[NatsContractId];

/** One valid output (as the gateway returns it once parsed) for every contract it calls. */
const SAMPLE_OUTPUTS: {
  readonly [K in GatewayContractId]: z.output<(typeof natsContracts)[K]['output']>;
} = {
  organizationCreate: { id: SAMPLE_PARTICIPANT.id, name: 'General Hospital', createdAt: AT },
  participantRegister: SAMPLE_PARTICIPANT,
  participantApprove: SAMPLE_PARTICIPANT,
  participantRevoke: SAMPLE_PARTICIPANT,
  participantRotateKeys: SAMPLE_PARTICIPANT,
  participantGet: SAMPLE_PARTICIPANT,
  participantSearch: { items: [SAMPLE_PARTICIPANT], next: null },
  directoryGet: directoryEntry(SAMPLE_PARTICIPANT.id, 'patient', 'active'),
  emergencyServers: {
    threshold: 2,
    servers: IDS.servers.map((participantId, i) => ({
      index: i + 1,
      participantId,
      encryptionKey: KEYS.encryption,
      keyVersion: 1,
    })),
  },

  recordPut: {
    uploadId: IDS.upload,
    recordId: METADATA.recordId,
    version: METADATA.version,
    size: METADATA.size,
    chunkBytes: CONTENT_CHUNK_BYTES,
    expiresAt: LATER,
  },
  uploadChunk: { uploadId: IDS.upload, receivedBytes: METADATA.size },
  uploadComplete: recordVersion(),
  recordGet: recordAccess(),
  contentRead: { data: 'AAECAw', eof: true },
  recordList: { items: [recordVersion()], next: null },
  recordHistory: { recordId: METADATA.recordId, versions: [recordVersion()] },
  recordVerify: {
    recordId: METADATA.recordId,
    version: METADATA.version,
    integrity: { ...recordAccess().integrity, contentMatchesAnchor: true },
  },

  grantCreate: GRANT,
  grantList: { items: [GRANT], next: null },
  grantGet: GRANT,
  grantFhir: { resourceType: 'Consent', id: IDS.consent, status: 'active' },
  grantRevoke: { ...GRANT, status: 'revoked', revokedAt: LATER, keyCount: 0 },
  grantAddKeys: { consentId: IDS.consent, added: 1 },
  grantRecipients: {
    patientId: METADATA.patientId,
    recipients: [
      {
        consentId: IDS.consent,
        granteeId: IDS.grantee,
        encryptionKey: KEYS.encryption,
        keyVersion: 1,
      },
    ],
  },
  grantPatients: {
    items: [
      {
        patientId: METADATA.patientId,
        grants: [{ consentId: IDS.consent, permission: 'read', scope: SCOPE, expiresAt: LATER }],
      },
    ],
  },
  policySet: policyView(),
  policyGet: policyView(),

  sessionOpen: SESSION,
  sessionGet: SESSION,
  sessionList: { items: [SESSION], next: null },
  sessionReassign: { ...SESSION, collaboratorId: IDS.grantee },
  sessionClose: { ...SESSION, status: 'closed', closedAt: LATER, closeReason: 'completed' },
};

function policyView(): z.output<typeof natsContracts.policyGet.output> {
  return {
    source: 'signed',
    policy: {
      patientId: METADATA.patientId,
      policyVersion: 1,
      breakGlass: true,
      confidentiality: ['N'],
      sensitivityOptIn: [],
      maxSessionMinutes: 60,
      contacts: [{ name: 'João Souza', email: 'joao@example.org' }],
      signedAt: AT,
    },
    signature: SIGNATURE,
    anchor: CONFIRMED,
  };
}

const BY_SUBJECT = new Map<string, unknown>(
  Object.entries(SAMPLE_OUTPUTS).map(([id, output]) => [
    natsContracts[id as GatewayContractId].subject,
    output,
  ]),
);

/** A valid answer for each service subject: the gateway checks replies against the contract. */
export function sampleOutput(subject: string): unknown {
  if (!BY_SUBJECT.has(subject)) throw new Error(`no sample output for ${subject}`);
  return structuredClone(BY_SUBJECT.get(subject));
}
