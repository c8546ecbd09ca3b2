import { z } from 'zod';

import { Challenge, ChallengeRequest, LoginRequest, Session, WhoAmI } from './auth.js';
import { natsContracts, type NatsContract } from './contracts.js';
import type { Role } from './primitives.js';

/** Who may call a route: anyone, any authenticated participant, or the listed roles. */
export type Access = 'public' | 'authenticated' | readonly Role[];

export interface HttpRoute {
  readonly id: string;
  readonly method: 'get' | 'post';
  /** OpenAPI style, e.g. /v1/participants/{participantId}. */
  readonly path: string;
  readonly summary: string;
  readonly access: Access;
  /** Path parameters, query and JSON body merged into one object, validated by this schema. */
  readonly input: z.ZodType;
  readonly output: z.ZodType;
  /** The NATS request it forwards to (its input and output are the route's); undefined for routes the gateway answers itself. */
  readonly contract?: NatsContract;
  /** Errors it can answer besides 400 (validation), 401 and 403 (access), 429 and 503. */
  readonly errors?: readonly number[];
  /** A valid input (path, query and body merged), published in the OpenAPI document. */
  readonly example: Readonly<Record<string, unknown>>;
}

/** A route that forwards to `contract`: its input and output schemas are the contract's. */
function forward<
  C extends NatsContract,
  const R extends Omit<HttpRoute, 'input' | 'output' | 'contract'>,
>(contract: C, route: R): R & { input: C['input']; output: C['output']; contract: C } {
  return { ...route, input: contract.input, output: contract.output, contract };
}

const EXAMPLE_ID = '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f20';
const EXAMPLE_KEYS = {
  signing: 'o4mDQ0fhUz_k1g-yHLoEchQzbL4Gd3sM_1SWSvk3e1A',
  encryption: 'hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo',
};
const EXAMPLE_SIGNATURE =
  'kuUxAuazQKfSTWNiXHm3mCJaxqkWWOT6jlANYKHQ7s5L6OjFrFtbHCpdEPPDa4WCdUwi1AbnzGkjYd_qAWj3Bg';
const EXAMPLE_AUTHORIZATION = {
  signedAt: '2026-12-01T09:30:00.000Z',
  signature: EXAMPLE_SIGNATURE,
};

const ADMINS = ['org-admin', 'authority'] as const satisfies readonly Role[];
const AUTHORS = ['collaborator', 'patient'] as const satisfies readonly Role[];

const EXAMPLE_RECORD_ID = '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f30';
const EXAMPLE_PATIENT_ID = '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f31';
const EXAMPLE_CONSENT_ID = '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f32';
const EXAMPLE_SESSION_ID = '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f33';
const EXAMPLE_SERVER_IDS = [
  '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f41',
  '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f42',
  '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f43',
];
const EXAMPLE_HASH = `0x${'3f'.repeat(32)}`;
const EXAMPLE_WRAPPED_KEY = `IQ${'A'.repeat(106)}`;
const EXAMPLE_SEALED_SHARE = `IQ${'B'.repeat(108)}`;
const EXAMPLE_METADATA = {
  suite: 'sh1-aes256gcm',
  recordId: EXAMPLE_RECORD_ID,
  version: 1,
  patientId: EXAMPLE_PATIENT_ID,
  authorId: EXAMPLE_ID,
  category: 'allergies',
  confidentiality: 'N',
  sensitivity: [],
  createdAt: '2026-12-01T09:30:00.000Z',
  contentType: 'application/fhir+json',
  size: 1843,
  cid: 'bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq',
  ciphertextHash: EXAMPLE_HASH,
  emergency: {
    threshold: 2,
    commitments: EXAMPLE_SERVER_IDS.map((serverId, i) => ({
      index: i + 1,
      serverId,
      commitment: EXAMPLE_HASH,
    })),
  },
};
const EXAMPLE_CONSENT = {
  consentId: EXAMPLE_CONSENT_ID,
  patientId: EXAMPLE_PATIENT_ID,
  granteeId: EXAMPLE_ID,
  scope: { recordIds: [], categories: ['allergies'] },
  permission: 'read',
  purposeOfUse: 'treatment',
  validFrom: '2026-12-01T09:30:00.000Z',
  expiresAt: '2027-03-01T09:30:00.000Z',
  signedAt: '2026-12-01T09:30:00.000Z',
};

/**
 * The HTTP API: the gateway serves exactly these routes, validates each input with its schema,
 * checks access, and forwards to the contract's subject; the OpenAPI document at /docs and the
 * SDK's typed calls are built from them.
 */
export const httpRoutes = [
  {
    id: 'auth.challenge',
    method: 'post',
    path: '/v1/auth/challenge',
    summary: 'Get a login challenge to sign with the participant signing key',
    access: 'public',
    input: ChallengeRequest,
    output: Challenge,
    example: { participantId: EXAMPLE_ID },
  },
  {
    id: 'auth.login',
    method: 'post',
    path: '/v1/auth/login',
    summary: 'Exchange a signed challenge for a short-lived token',
    access: 'public',
    input: LoginRequest,
    output: Session,
    example: {
      participantId: EXAMPLE_ID,
      challengeId: '0190f5a0-3c1e-4d2a-9b4f-6a5e8c7d1f21',
      signature: EXAMPLE_SIGNATURE,
    },
  },
  {
    id: 'auth.whoami',
    method: 'get',
    path: '/v1/auth/whoami',
    summary: 'Who the token belongs to',
    access: 'authenticated',
    input: z.strictObject({}),
    output: WhoAmI,
    example: {},
  },
  forward(natsContracts.organizationCreate, {
    id: 'organizations.create',
    method: 'post',
    path: '/v1/organizations',
    summary: 'Register an organization (the authority)',
    access: ['authority'],
    errors: [409],
    example: { name: 'General Hospital', authorization: EXAMPLE_AUTHORIZATION },
  }),
  forward(natsContracts.participantRegister, {
    id: 'participants.register',
    method: 'post',
    path: '/v1/participants',
    summary: 'Register with client-generated public keys; stays pending until approved',
    access: 'public',
    errors: [404, 409],
    example: {
      role: 'patient',
      keys: EXAMPLE_KEYS,
      profile: { displayName: 'Ana Souza', email: 'ana@example.org' },
      proof: EXAMPLE_SIGNATURE,
    },
  }),
  forward(natsContracts.participantApprove, {
    id: 'participants.approve',
    method: 'post',
    path: '/v1/participants/{participantId}/approve',
    summary: 'Approve and attest a pending participant (their org admin, or the authority)',
    access: ADMINS,
    errors: [404, 409],
    example: { participantId: EXAMPLE_ID, authorization: EXAMPLE_AUTHORIZATION },
  }),
  forward(natsContracts.participantRevoke, {
    id: 'participants.revoke',
    method: 'post',
    path: '/v1/participants/{participantId}/revoke',
    summary: 'Revoke a participant; effective for every later check',
    access: ADMINS,
    errors: [404, 409],
    example: {
      participantId: EXAMPLE_ID,
      reason: 'left the organization',
      authorization: EXAMPLE_AUTHORIZATION,
    },
  }),
  forward(natsContracts.participantRotateKeys, {
    id: 'participants.rotateKeys',
    method: 'post',
    path: '/v1/participants/{participantId}/keys',
    summary:
      "Rotate one's own keys: signed by the current key and the new one; re-attests, and ends every session",
    access: 'authenticated',
    errors: [404, 409],
    example: {
      participantId: EXAMPLE_ID,
      keyVersion: 1,
      keys: EXAMPLE_KEYS,
      signedAt: '2026-12-01T09:30:00.000Z',
      signature: EXAMPLE_SIGNATURE,
      proof: EXAMPLE_SIGNATURE,
    },
  }),
  forward(natsContracts.participantGet, {
    id: 'participants.get',
    method: 'get',
    path: '/v1/participants/{participantId}',
    summary: 'A participant (oneself, their org admin, or the authority)',
    access: 'authenticated',
    errors: [404],
    example: { participantId: EXAMPLE_ID },
  }),
  forward(natsContracts.participantSearch, {
    id: 'participants.search',
    method: 'get',
    path: '/v1/participants',
    summary: 'Search participants by role, organization and status',
    access: ADMINS,
    example: { role: 'collaborator', status: 'active', limit: 20 },
  }),
  forward(natsContracts.directoryGet, {
    id: 'directory.get',
    method: 'get',
    path: '/v1/directory/{participantId}',
    summary: 'Public keys, attestation and status of a participant',
    access: 'authenticated',
    errors: [404],
    example: { participantId: EXAMPLE_ID },
  }),
  forward(natsContracts.emergencyServers, {
    id: 'emergencyServers.list',
    method: 'get',
    path: '/v1/emergency-servers',
    summary: "The emergency servers a record's key shares go to, and the threshold",
    access: 'authenticated',
    example: {},
  }),

  forward(natsContracts.recordPut, {
    id: 'records.put',
    method: 'post',
    path: '/v1/records',
    summary:
      'Announce a record version (author-signed metadata, wrapped keys, sealed shares); its ciphertext follows with PUT /v1/uploads/{uploadId}/content',
    access: AUTHORS,
    errors: [403, 404, 409],
    example: {
      signed: { metadata: EXAMPLE_METADATA, signature: EXAMPLE_SIGNATURE, authorKeyVersion: 1 },
      keys: [
        {
          recipientId: EXAMPLE_PATIENT_ID,
          recipientKeyVersion: 1,
          wrappedKey: EXAMPLE_WRAPPED_KEY,
        },
      ],
      shares: EXAMPLE_SERVER_IDS.map((serverId, i) => ({
        index: i + 1,
        serverId,
        sealedShare: EXAMPLE_SEALED_SHARE,
      })),
    },
  }),
  forward(natsContracts.recordGet, {
    id: 'records.get',
    method: 'get',
    path: '/v1/records/{recordId}',
    summary:
      "A record version's signed metadata, the data key wrapped to the caller, and its integrity against the chain (latest version unless ?version=)",
    access: 'authenticated',
    errors: [404, 409],
    example: { recordId: EXAMPLE_RECORD_ID, version: 1 },
  }),
  forward(natsContracts.recordHistory, {
    id: 'records.history',
    method: 'get',
    path: '/v1/records/{recordId}/history',
    summary: 'Every version of a record the caller may read',
    access: 'authenticated',
    errors: [404],
    example: { recordId: EXAMPLE_RECORD_ID },
  }),
  forward(natsContracts.recordVerify, {
    id: 'records.verify',
    method: 'get',
    path: '/v1/records/{recordId}/verify',
    summary:
      'Recompute the hash of the stored content and compare metadata and content with the chain anchor',
    access: 'authenticated',
    errors: [404],
    example: { recordId: EXAMPLE_RECORD_ID, version: 1 },
  }),
  forward(natsContracts.recordList, {
    id: 'records.list',
    method: 'get',
    path: '/v1/patients/{patientId}/records',
    summary:
      "Search a patient's record metadata by category, author, date, confidentiality and sensitivity (latest versions the caller may read)",
    access: 'authenticated',
    example: { patientId: EXAMPLE_PATIENT_ID, category: ['allergies'], limit: 20 },
  }),

  forward(natsContracts.grantCreate, {
    id: 'grants.create',
    method: 'post',
    path: '/v1/grants',
    summary:
      'Grant a participant access (signed by the patient), with the data keys in scope wrapped to them',
    access: ['patient'],
    errors: [404, 409],
    example: { consent: EXAMPLE_CONSENT, signature: EXAMPLE_SIGNATURE, keys: [] },
  }),
  forward(natsContracts.grantList, {
    id: 'grants.list',
    method: 'get',
    path: '/v1/grants',
    summary: "The caller's grants: as the patient who gave them, or as the grantee",
    access: 'authenticated',
    example: { as: 'patient', status: 'active' },
  }),
  forward(natsContracts.grantGet, {
    id: 'grants.get',
    method: 'get',
    path: '/v1/grants/{consentId}',
    summary: 'One grant (its patient or its grantee)',
    access: 'authenticated',
    errors: [404],
    example: { consentId: EXAMPLE_CONSENT_ID },
  }),
  forward(natsContracts.grantFhir, {
    id: 'grants.fhir',
    method: 'get',
    path: '/v1/grants/{consentId}/fhir',
    summary: 'One grant as a FHIR R4 Consent resource',
    access: 'authenticated',
    errors: [404],
    example: { consentId: EXAMPLE_CONSENT_ID },
  }),
  forward(natsContracts.grantRevoke, {
    id: 'grants.revoke',
    method: 'post',
    path: '/v1/grants/{consentId}/revoke',
    summary: 'Revoke a grant (signed by the patient): its wrapped keys are removed at once',
    access: ['patient'],
    errors: [404, 409],
    example: {
      consentId: EXAMPLE_CONSENT_ID,
      signedAt: '2026-12-01T09:30:00.000Z',
      signature: EXAMPLE_SIGNATURE,
    },
  }),
  forward(natsContracts.grantAddKeys, {
    id: 'grants.addKeys',
    method: 'post',
    path: '/v1/grants/{consentId}/keys',
    summary:
      "Add data keys wrapped to a grant's grantee (the patient, or an author under a write grant)",
    access: AUTHORS,
    errors: [404, 409],
    example: {
      consentId: EXAMPLE_CONSENT_ID,
      keys: [
        {
          recordId: EXAMPLE_RECORD_ID,
          version: 1,
          wrappedKey: {
            recipientId: EXAMPLE_ID,
            recipientKeyVersion: 1,
            wrappedKey: EXAMPLE_WRAPPED_KEY,
          },
        },
      ],
    },
  }),
  forward(natsContracts.grantRecipients, {
    id: 'grants.recipients',
    method: 'get',
    path: '/v1/patients/{patientId}/recipients',
    summary:
      "Who a new record of this category must be wrapped to: the category's current read grantees",
    access: AUTHORS,
    errors: [403],
    example: { patientId: EXAMPLE_PATIENT_ID, category: 'allergies' },
  }),
  forward(natsContracts.grantPatients, {
    id: 'grants.patients',
    method: 'get',
    path: '/v1/patients',
    summary: 'The patients who granted the caller access, with their active grants',
    access: 'authenticated',
    example: {},
  }),
  forward(natsContracts.policySet, {
    id: 'policy.set',
    method: 'post',
    path: '/v1/patients/{patientId}/policy',
    summary: "Set the patient's signed emergency (break-glass) policy",
    access: ['patient'],
    errors: [409],
    example: {
      patientId: EXAMPLE_PATIENT_ID,
      policy: {
        patientId: EXAMPLE_PATIENT_ID,
        policyVersion: 1,
        breakGlass: true,
        confidentiality: ['N'],
        sensitivityOptIn: [],
        maxSessionMinutes: 60,
        contacts: [{ name: 'João Souza', email: 'joao@example.org' }],
        signedAt: '2026-12-01T09:30:00.000Z',
      },
      signature: EXAMPLE_SIGNATURE,
    },
  }),
  forward(natsContracts.policyGet, {
    id: 'policy.get',
    method: 'get',
    path: '/v1/patients/{patientId}/policy',
    summary: "The patient's emergency policy (the patient, the emergency servers, the authority)",
    access: 'authenticated',
    errors: [404],
    example: { patientId: EXAMPLE_PATIENT_ID },
  }),

  forward(natsContracts.sessionOpen, {
    id: 'sessions.open',
    method: 'post',
    path: '/v1/sessions',
    summary:
      'Open an emergency (break-glass) session, signed by the attendant; it exists only once SessionOpened is on chain',
    access: ['attendant'],
    errors: [404, 409],
    example: {
      opening: {
        sessionId: EXAMPLE_SESSION_ID,
        patientId: EXAMPLE_PATIENT_ID,
        collaboratorId: EXAMPLE_ID,
        reasonCode: 'ETREAT',
        notes: 'unconscious after a road accident',
        location: 'A1 northbound, km 12',
        signedAt: '2026-12-01T09:30:00.000Z',
      },
      signature: EXAMPLE_SIGNATURE,
    },
  }),
  forward(natsContracts.sessionList, {
    id: 'sessions.list',
    method: 'get',
    path: '/v1/sessions',
    summary: "The sessions of the attendant's organization (open ones by default)",
    access: ['attendant'],
    example: { status: 'open' },
  }),
  forward(natsContracts.sessionGet, {
    id: 'sessions.get',
    method: 'get',
    path: '/v1/sessions/{sessionId}',
    summary: "A session (its organization's attendants, its collaborator, its patient)",
    access: 'authenticated',
    errors: [404],
    example: { sessionId: EXAMPLE_SESSION_ID },
  }),
  forward(natsContracts.sessionReassign, {
    id: 'sessions.reassign',
    method: 'post',
    path: '/v1/sessions/{sessionId}/reassign',
    summary:
      'Hand an open session to another collaborator (signed by an attendant; logged on chain)',
    access: ['attendant'],
    errors: [404, 409],
    example: {
      sessionId: EXAMPLE_SESSION_ID,
      collaboratorId: EXAMPLE_ID,
      signedAt: '2026-12-01T09:30:00.000Z',
      signature: EXAMPLE_SIGNATURE,
    },
  }),
  forward(natsContracts.sessionClose, {
    id: 'sessions.close',
    method: 'post',
    path: '/v1/sessions/{sessionId}/close',
    summary: 'Close an open session (an attendant of its organization, or its collaborator)',
    access: ['attendant', 'collaborator'],
    errors: [404, 409],
    example: {
      sessionId: EXAMPLE_SESSION_ID,
      reason: 'completed',
      signedAt: '2026-12-01T09:30:00.000Z',
      signature: EXAMPLE_SIGNATURE,
    },
  }),
] as const satisfies readonly HttpRoute[];

export type HttpRouteId = (typeof httpRoutes)[number]['id'];
