import { z } from 'zod';

import { PublicKeys } from './participants.js';
import {
  CollaboratorKind,
  Hex32,
  ParticipantStatus,
  PublicKey32,
  Role,
  Uuid,
} from './primitives.js';
import { ConsentPermission } from './consents.js';
import { RecordCategory, WrappedKey } from './records.js';

/**
 * Reads one service makes of another (ADR 0006), under `internal.<service>.>`: subjects the
 * gateway cannot publish to. They never change data and never carry an actor: the caller is a
 * service whose NATS credentials allow that one subject.
 */
export const ResolveParticipantsRequest = z
  .strictObject({ ids: z.array(Uuid).min(1).max(300) })
  .meta({ id: 'ResolveParticipantsRequest' });

export const ResolvedParticipant = z
  .strictObject({
    id: Uuid,
    role: Role,
    kind: CollaboratorKind.nullable(),
    organizationId: Uuid.nullable(),
    status: ParticipantStatus,
    keys: PublicKeys,
    keyVersion: z.number().int().positive(),
    /** Null only while pending (no attestation yet). */
    participantRef: Hex32.nullable(),
  })
  .meta({ id: 'ResolvedParticipant' });
export type ResolvedParticipant = z.infer<typeof ResolvedParticipant>;

export const ResolvedParticipants = z
  .strictObject({ items: z.array(ResolvedParticipant) })
  .meta({ id: 'ResolvedParticipants' });

/** The emergency servers a record's shares go to (index 1..n) and the threshold t. */
export const EmergencyServerSet = z
  .strictObject({
    threshold: z.number().int().min(2),
    servers: z.array(
      z.strictObject({
        index: z.number().int().min(1).max(255),
        participantId: Uuid,
        encryptionKey: PublicKey32,
        keyVersion: z.number().int().positive(),
      }),
    ),
  })
  .meta({ id: 'EmergencyServerSet' });
export type EmergencyServerSet = z.infer<typeof EmergencyServerSet>;

/** May `actorId` read (or write) this record of this patient under a grant, right now? */
export const AccessCheckRequest = z
  .strictObject({
    actorId: Uuid,
    patientId: Uuid,
    permission: ConsentPermission,
    category: RecordCategory,
    recordId: Uuid,
    version: z.number().int().min(1),
  })
  .meta({ id: 'AccessCheckRequest' });
export type AccessCheckRequest = z.infer<typeof AccessCheckRequest>;

export const AccessDecision = z
  .strictObject({
    allowed: z.boolean(),
    reason: z.string(),
    consentId: Uuid.nullable(),
    expiresAt: z.iso.datetime({ offset: true }).nullable(),
    /** For a read: the record's key wrapped to the grantee, when the sharing service holds one. */
    wrappedKey: WrappedKey.nullable(),
  })
  .meta({ id: 'AccessDecision' });
export type AccessDecision = z.infer<typeof AccessDecision>;
