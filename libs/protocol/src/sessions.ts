import { z } from 'zod';

import { AnchorInfo } from './participants.js';
import { IsoTime, Signature64, text, Uuid } from './primitives.js';

/** HL7 v3 ActReason: emergency treatment, or break the glass. */
export const ReasonCode = z.enum(['ETREAT', 'BTG']).meta({ id: 'ReasonCode' });
export type ReasonCode = z.infer<typeof ReasonCode>;

export const SessionStatus = z.enum(['open', 'closed', 'expired']).meta({ id: 'SessionStatus' });
export type SessionStatus = z.infer<typeof SessionStatus>;

export const CloseReason = z
  .enum(['completed', 'cancelled', 'expired'])
  .meta({ id: 'CloseReason' });
export type CloseReason = z.infer<typeof CloseReason>;

/**
 * What the attendant signs to open a session (DESIGN.md section 9 step 1). The patient is named
 * by their participant id, which the emergency card carries.
 */
export const SessionOpening = z
  .strictObject({
    sessionId: Uuid,
    patientId: Uuid,
    collaboratorId: Uuid,
    reasonCode: ReasonCode,
    notes: text(2000).optional(),
    location: text(200).optional(),
    signedAt: IsoTime,
  })
  .meta({ id: 'SessionOpening' });
export type SessionOpening = z.infer<typeof SessionOpening>;

export const OpenSessionRequest = z
  .strictObject({ opening: SessionOpening, signature: Signature64 })
  .meta({ id: 'OpenSessionRequest' });
export type OpenSessionRequest = z.infer<typeof OpenSessionRequest>;

export const ReassignSessionRequest = z
  .strictObject({
    sessionId: Uuid,
    collaboratorId: Uuid,
    signedAt: IsoTime,
    signature: Signature64,
  })
  .meta({ id: 'ReassignSessionRequest' });
export type ReassignSessionRequest = z.infer<typeof ReassignSessionRequest>;

export const CloseSessionRequest = z
  .strictObject({
    sessionId: Uuid,
    reason: z.enum(['completed', 'cancelled']),
    signedAt: IsoTime,
    signature: Signature64,
  })
  .meta({ id: 'CloseSessionRequest' });
export type CloseSessionRequest = z.infer<typeof CloseSessionRequest>;

export const SessionIdRequest = z
  .strictObject({ sessionId: Uuid })
  .meta({ id: 'SessionIdRequest' });

export const EmergencySession = z
  .strictObject({
    sessionId: Uuid,
    patientId: Uuid,
    attendantId: Uuid,
    organizationId: Uuid,
    collaboratorId: Uuid,
    reasonCode: ReasonCode,
    notes: z.string().nullable(),
    location: z.string().nullable(),
    status: SessionStatus,
    openedAt: IsoTime,
    expiresAt: IsoTime,
    closedAt: IsoTime.nullable(),
    closeReason: CloseReason.nullable(),
    /** SessionOpened: confirmed before the session exists. */
    anchor: AnchorInfo,
  })
  .meta({ id: 'EmergencySession' });
export type EmergencySession = z.infer<typeof EmergencySession>;

export const ListSessionsRequest = z
  .strictObject({
    status: SessionStatus.default('open'),
    limit: z.coerce.number().int().min(1).max(200).default(100),
    after: Uuid.optional(),
  })
  .meta({ id: 'ListSessionsRequest' });
export type ListSessionsRequest = z.infer<typeof ListSessionsRequest>;

export const EmergencySessionList = z
  .strictObject({ items: z.array(EmergencySession), next: Uuid.nullable() })
  .meta({ id: 'EmergencySessionList' });
