import { z } from 'zod';

import { Challenge, ChallengeRequest, LoginRequest, Session, WhoAmI } from './auth.js';
import { CreateOrganizationRequest, Organization } from './organizations.js';
import {
  ApproveParticipantRequest,
  DirectoryEntry,
  Participant,
  ParticipantIdRequest,
  ParticipantList,
  RegisterParticipantRequest,
  RevokeParticipantRequest,
  RotateKeysRequest,
  SearchParticipantsRequest,
} from './participants.js';
import type { Role } from './primitives.js';
import { Subject } from './subjects.js';

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
  /** The NATS subject it forwards to; undefined for routes the gateway answers itself. */
  readonly subject?: string;
  /** Errors it can answer besides 400 (validation), 401 and 403 (access), 429 and 503. */
  readonly errors?: readonly number[];
}

const ADMINS = ['org-admin', 'authority'] as const satisfies readonly Role[];

/**
 * The HTTP API: the gateway serves exactly these routes, validates each input with its schema,
 * checks access, and forwards to the subject; the OpenAPI document at /docs is built from them.
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
  },
  {
    id: 'auth.login',
    method: 'post',
    path: '/v1/auth/login',
    summary: 'Exchange a signed challenge for a short-lived token',
    access: 'public',
    input: LoginRequest,
    output: Session,
  },
  {
    id: 'auth.whoami',
    method: 'get',
    path: '/v1/auth/whoami',
    summary: 'Who the token belongs to',
    access: 'authenticated',
    input: z.strictObject({}),
    output: WhoAmI,
  },
  {
    id: 'organizations.create',
    method: 'post',
    path: '/v1/organizations',
    summary: 'Register an organization (the authority)',
    access: ['authority'],
    input: CreateOrganizationRequest,
    output: Organization,
    subject: Subject.OrganizationCreate,
    errors: [409],
  },
  {
    id: 'participants.register',
    method: 'post',
    path: '/v1/participants',
    summary: 'Register with client-generated public keys; stays pending until approved',
    access: 'public',
    input: RegisterParticipantRequest,
    output: Participant,
    subject: Subject.ParticipantRegister,
    errors: [404, 409],
  },
  {
    id: 'participants.approve',
    method: 'post',
    path: '/v1/participants/{participantId}/approve',
    summary: 'Approve and attest a pending participant (their org admin, or the authority)',
    access: ADMINS,
    input: ApproveParticipantRequest,
    output: Participant,
    subject: Subject.ParticipantApprove,
    errors: [404, 409],
  },
  {
    id: 'participants.revoke',
    method: 'post',
    path: '/v1/participants/{participantId}/revoke',
    summary: 'Revoke a participant; effective for every later check',
    access: ADMINS,
    input: RevokeParticipantRequest,
    output: Participant,
    subject: Subject.ParticipantRevoke,
    errors: [404, 409],
  },
  {
    id: 'participants.rotateKeys',
    method: 'post',
    path: '/v1/participants/{participantId}/keys',
    summary: 'Rotate one own keys; re-attests',
    access: 'authenticated',
    input: RotateKeysRequest,
    output: Participant,
    subject: Subject.ParticipantRotateKeys,
    errors: [404, 409],
  },
  {
    id: 'participants.get',
    method: 'get',
    path: '/v1/participants/{participantId}',
    summary: 'A participant (oneself, their org admin, or the authority)',
    access: 'authenticated',
    input: ParticipantIdRequest,
    output: Participant,
    subject: Subject.ParticipantGet,
    errors: [404],
  },
  {
    id: 'participants.search',
    method: 'get',
    path: '/v1/participants',
    summary: 'Search participants by role, organization and status',
    access: ADMINS,
    input: SearchParticipantsRequest,
    output: ParticipantList,
    subject: Subject.ParticipantSearch,
  },
  {
    id: 'directory.get',
    method: 'get',
    path: '/v1/directory/{participantId}',
    summary: 'Public keys, attestation and status of a participant',
    access: 'authenticated',
    input: ParticipantIdRequest,
    output: DirectoryEntry,
    subject: Subject.DirectoryGet,
    errors: [404],
  },
] as const satisfies readonly HttpRoute[];

export type HttpRouteId = (typeof httpRoutes)[number]['id'];
