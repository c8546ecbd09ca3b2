import { z } from 'zod';

import { IsoTime, Uuid } from './primitives.js';

/**
 * Domain events, `events.<aggregate>.<past-tense>`, published by the service that owns the
 * aggregate after its change committed. Core NATS: at most once; a consumer that must not miss
 * one also has another way to learn the state (the gateway's status cache expires on its own).
 */
export const ParticipantRevokedEvent = z
  .strictObject({ participantId: Uuid, at: IsoTime })
  .meta({ id: 'ParticipantRevokedEvent' });
export type ParticipantRevokedEvent = z.infer<typeof ParticipantRevokedEvent>;

export const ParticipantKeysRotatedEvent = z
  .strictObject({ participantId: Uuid, keyVersion: z.number().int().positive(), at: IsoTime })
  .meta({ id: 'ParticipantKeysRotatedEvent' });
export type ParticipantKeysRotatedEvent = z.infer<typeof ParticipantKeysRotatedEvent>;

export const RecordStoredEvent = z
  .strictObject({
    recordId: Uuid,
    version: z.number().int().min(1),
    patientId: Uuid,
    authorId: Uuid,
    category: z.string(),
    at: IsoTime,
  })
  .meta({ id: 'RecordStoredEvent' });

export const ConsentChangedEvent = z
  .strictObject({ consentId: Uuid, patientId: Uuid, granteeId: Uuid, at: IsoTime })
  .meta({ id: 'ConsentChangedEvent' });

export const PolicySetEvent = z
  .strictObject({ patientId: Uuid, policyVersion: z.number().int().min(1), at: IsoTime })
  .meta({ id: 'PolicySetEvent' });

export const SessionChangedEvent = z
  .strictObject({
    sessionId: Uuid,
    patientId: Uuid,
    organizationId: Uuid,
    collaboratorId: Uuid,
    at: IsoTime,
  })
  .meta({ id: 'SessionChangedEvent' });

export interface EventContract<S extends z.ZodType = z.ZodType> {
  readonly subject: string;
  readonly schema: S;
}

export const domainEvents = {
  participantRevoked: { subject: 'events.participant.revoked', schema: ParticipantRevokedEvent },
  participantKeysRotated: {
    subject: 'events.participant.keys-rotated',
    schema: ParticipantKeysRotatedEvent,
  },
  recordStored: { subject: 'events.record.stored', schema: RecordStoredEvent },
  consentGranted: { subject: 'events.consent.granted', schema: ConsentChangedEvent },
  consentRevoked: { subject: 'events.consent.revoked', schema: ConsentChangedEvent },
  policySet: { subject: 'events.policy.set', schema: PolicySetEvent },
  sessionOpened: { subject: 'events.session.opened', schema: SessionChangedEvent },
  sessionReassigned: { subject: 'events.session.reassigned', schema: SessionChangedEvent },
  sessionClosed: { subject: 'events.session.closed', schema: SessionChangedEvent },
} as const satisfies Record<string, EventContract>;
