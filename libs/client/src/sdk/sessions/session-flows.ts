import { randomUUID } from 'node:crypto';

import type { ParticipantKeys } from '@sec-health/crypto';
import {
  sessionCloseStatement,
  sessionOpeningStatement,
  sessionReassignStatement,
  type EmergencySession,
  type ReasonCode,
  type SessionOpening,
} from '@sec-health/protocol';

import type { SecHealthClient } from '../client.js';
import { sign } from '../proofs.js';

export interface NewSession {
  readonly patientId: string;
  readonly collaboratorId: string;
  readonly reasonCode: ReasonCode;
  readonly notes?: string;
  readonly location?: string;
}

/**
 * Emergency sessions as an attendant (or the responding collaborator) runs them: every step
 * signed here with the participant's own key; the call-center checks the signature itself.
 */
export class SessionFlows {
  constructor(
    private readonly client: SecHealthClient,
    private readonly keys: ParticipantKeys,
  ) {}

  open(session: NewSession, now: Date = new Date()): Promise<EmergencySession> {
    const opening: SessionOpening = {
      sessionId: randomUUID(),
      patientId: session.patientId,
      collaboratorId: session.collaboratorId,
      reasonCode: session.reasonCode,
      ...(session.notes === undefined ? {} : { notes: session.notes }),
      ...(session.location === undefined ? {} : { location: session.location }),
      signedAt: now.toISOString(),
    };
    return this.client.call('sessions.open', {
      opening,
      signature: sign(this.keys.signing.secretKey, sessionOpeningStatement(opening)),
    });
  }

  reassign(sessionId: string, collaboratorId: string, now: Date = new Date()) {
    const signedAt = now.toISOString();
    return this.client.call('sessions.reassign', {
      sessionId,
      collaboratorId,
      signedAt,
      signature: sign(
        this.keys.signing.secretKey,
        sessionReassignStatement({ sessionId, collaboratorId, signedAt }),
      ),
    });
  }

  close(sessionId: string, reason: 'completed' | 'cancelled', now: Date = new Date()) {
    const signedAt = now.toISOString();
    return this.client.call('sessions.close', {
      sessionId,
      reason,
      signedAt,
      signature: sign(
        this.keys.signing.secretKey,
        sessionCloseStatement({ sessionId, reason, signedAt }),
      ),
    });
  }
}
