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
} as const satisfies Record<string, EventContract>;
