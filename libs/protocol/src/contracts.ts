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
import {
  AddGrantKeysRequest,
  ConsentIdRequest,
  CreateGrantRequest,
  EmptyRequest,
  FhirResource,
  Grant,
  GrantKeysAdded,
  GrantList,
  ListGrantsRequest,
  PatientIdRequest,
  PatientsOfCollaborator,
  PolicyView,
  RecipientList,
  RecipientsRequest,
  RevokeGrantRequest,
  SetPolicyRequest,
} from './consents.js';
import {
  ContentChunk,
  ListRecordsRequest,
  PutRecordRequest,
  ReadContentRequest,
  RecordAccess,
  RecordHistory,
  RecordIdRequest,
  RecordList,
  RecordVersion,
  RecordVersionRequest,
  UploadChunkRequest,
  UploadIdRequest,
  UploadProgress,
  UploadTicket,
  VerifyReport,
} from './records.js';
import {
  CloseSessionRequest,
  ListSessionsRequest,
  OpenSessionRequest,
  ReassignSessionRequest,
  EmergencySession,
  EmergencySessionList,
  SessionIdRequest,
} from './sessions.js';
import {
  AccessCheckRequest,
  AccessDecision,
  EmergencyServerSet,
  ResolvedParticipants,
  ResolveParticipantsRequest,
} from './service-reads.js';

/**
 * Who a request may come from: `actor` an authenticated participant (the assertion names one);
 * `anonymous` anyone the gateway forwards (registration); `either` both (directory lookups, which
 * the gateway also makes itself to log someone in); `service` another service, on an
 * `internal.<service>.>` subject that only the services listed in natsPrincipals may publish to
 * (ADR 0006): no assertion, no actor.
 */
export type Caller = 'actor' | 'anonymous' | 'either' | 'service';

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
  emergencyServers: {
    subject: 'authority.emergency-servers.list',
    input: EmptyRequest,
    output: EmergencyServerSet,
    caller: 'actor',
  },

  recordPut: {
    subject: 'storage.record.put',
    input: PutRecordRequest,
    output: UploadTicket,
    caller: 'actor',
  },
  uploadChunk: {
    subject: 'storage.upload.chunk',
    input: UploadChunkRequest,
    output: UploadProgress,
    caller: 'actor',
  },
  uploadComplete: {
    subject: 'storage.upload.complete',
    input: UploadIdRequest,
    output: RecordVersion,
    caller: 'actor',
  },
  recordGet: {
    subject: 'storage.record.get',
    input: RecordVersionRequest,
    output: RecordAccess,
    caller: 'actor',
  },
  contentRead: {
    subject: 'storage.content.read',
    input: ReadContentRequest,
    output: ContentChunk,
    caller: 'actor',
  },
  recordList: {
    subject: 'storage.record.list',
    input: ListRecordsRequest,
    output: RecordList,
    caller: 'actor',
  },
  recordHistory: {
    subject: 'storage.record.history',
    input: RecordIdRequest,
    output: RecordHistory,
    caller: 'actor',
  },
  recordVerify: {
    subject: 'storage.record.verify',
    input: RecordVersionRequest,
    output: VerifyReport,
    caller: 'actor',
  },

  grantCreate: {
    subject: 'sharing.grant.create',
    input: CreateGrantRequest,
    output: Grant,
    caller: 'actor',
  },
  grantList: {
    subject: 'sharing.grant.list',
    input: ListGrantsRequest,
    output: GrantList,
    caller: 'actor',
  },
  grantGet: {
    subject: 'sharing.grant.get',
    input: ConsentIdRequest,
    output: Grant,
    caller: 'actor',
  },
  grantFhir: {
    subject: 'sharing.grant.fhir',
    input: ConsentIdRequest,
    output: FhirResource,
    caller: 'actor',
  },
  grantRevoke: {
    subject: 'sharing.grant.revoke',
    input: RevokeGrantRequest,
    output: Grant,
    caller: 'actor',
  },
  grantAddKeys: {
    subject: 'sharing.grant.add-keys',
    input: AddGrantKeysRequest,
    output: GrantKeysAdded,
    caller: 'actor',
  },
  grantRecipients: {
    subject: 'sharing.grant.recipients',
    input: RecipientsRequest,
    output: RecipientList,
    caller: 'actor',
  },
  grantPatients: {
    subject: 'sharing.grant.patients',
    input: EmptyRequest,
    output: PatientsOfCollaborator,
    caller: 'actor',
  },
  policySet: {
    subject: 'sharing.policy.set',
    input: SetPolicyRequest,
    output: PolicyView,
    caller: 'actor',
  },
  policyGet: {
    subject: 'sharing.policy.get',
    input: PatientIdRequest,
    output: PolicyView,
    caller: 'actor',
  },

  sessionOpen: {
    subject: 'callcenter.session.open',
    input: OpenSessionRequest,
    output: EmergencySession,
    caller: 'actor',
  },
  sessionGet: {
    subject: 'callcenter.session.get',
    input: SessionIdRequest,
    output: EmergencySession,
    caller: 'actor',
  },
  sessionList: {
    subject: 'callcenter.session.list',
    input: ListSessionsRequest,
    output: EmergencySessionList,
    caller: 'actor',
  },
  sessionReassign: {
    subject: 'callcenter.session.reassign',
    input: ReassignSessionRequest,
    output: EmergencySession,
    caller: 'actor',
  },
  sessionClose: {
    subject: 'callcenter.session.close',
    input: CloseSessionRequest,
    output: EmergencySession,
    caller: 'actor',
  },

  participantsResolve: {
    subject: 'internal.authority.participants.resolve',
    input: ResolveParticipantsRequest,
    output: ResolvedParticipants,
    caller: 'service',
  },
  emergencyServersResolve: {
    subject: 'internal.authority.emergency-servers.list',
    input: EmptyRequest,
    output: EmergencyServerSet,
    caller: 'service',
  },
  accessCheck: {
    subject: 'internal.sharing.access.check',
    input: AccessCheckRequest,
    output: AccessDecision,
    caller: 'service',
  },
  policyResolve: {
    subject: 'internal.sharing.policy.resolve',
    input: PatientIdRequest,
    output: PolicyView,
    caller: 'service',
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
