import { z } from 'zod';

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
import { Health } from './health.js';

/**
 * Who a request may come from: `actor` an authenticated participant (the assertion names one);
 * `anonymous` anyone the gateway forwards (registration); `either` both (directory lookups, which
 * the gateway also makes itself to log someone in).
 */
export type Caller = 'actor' | 'anonymous' | 'either';

/** One NATS request-reply: its subject and the schemas of what goes in and what comes back. */
export interface NatsContract<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly subject: string;
  readonly input: I;
  readonly output: O;
  readonly caller: Caller;
}

/** A health request carries nothing: `{}`, null or an empty body. */
export const HealthRequest = z.union([z.strictObject({}), z.null(), z.undefined()]);

/**
 * Every NATS request-reply of the system, `<service>.<aggregate>.<verb>` (DESIGN.md section 8).
 * Service controllers handle these; the HTTP route table forwards to them; the input and the
 * output are validated against these schemas at the receiving end.
 */
export const natsContracts = {
  organizationCreate: {
    subject: 'authority.organization.create',
    input: CreateOrganizationRequest,
    output: Organization,
    caller: 'actor',
  },
  participantRegister: {
    subject: 'authority.participant.register',
    input: RegisterParticipantRequest,
    output: Participant,
    caller: 'anonymous',
  },
  participantApprove: {
    subject: 'authority.participant.approve',
    input: ApproveParticipantRequest,
    output: Participant,
    caller: 'actor',
  },
  participantRevoke: {
    subject: 'authority.participant.revoke',
    input: RevokeParticipantRequest,
    output: Participant,
    caller: 'actor',
  },
  participantRotateKeys: {
    subject: 'authority.participant.rotate-keys',
    input: RotateKeysRequest,
    output: Participant,
    caller: 'actor',
  },
  participantGet: {
    subject: 'authority.participant.get',
    input: ParticipantIdRequest,
    output: Participant,
    caller: 'actor',
  },
  participantSearch: {
    subject: 'authority.participant.search',
    input: SearchParticipantsRequest,
    output: ParticipantList,
    caller: 'actor',
  },
  directoryGet: {
    subject: 'authority.directory.get',
    input: ParticipantIdRequest,
    output: DirectoryEntry,
    caller: 'either',
  },
} as const satisfies Record<string, NatsContract>;

export type NatsContractId = keyof typeof natsContracts;

/** Each service answers `<service>.health` with its dependencies' state. */
export function healthContract(service: string): NatsContract<typeof HealthRequest, typeof Health> {
  return {
    subject: `${service}.health`,
    input: HealthRequest,
    output: Health,
    caller: 'anonymous',
  };
}
