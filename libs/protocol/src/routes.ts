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
] as const satisfies readonly HttpRoute[];

export type HttpRouteId = (typeof httpRoutes)[number]['id'];
