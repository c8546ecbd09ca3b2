import { ErrorCode, ProtocolError } from '@sec-health/protocol';
import { requireActor, type Actor } from '@sec-health/service-kit';

import type { KnownActor } from './access.js';
import type { ParticipantRepository } from './participant.repository.js';

/** A KnownActor with the signing key the database holds for it. */
export interface SigningActor extends KnownActor {
  readonly signingKey: string;
  readonly keyVersion: number;
}

/**
 * The actor as the database knows it. The gateway's verified assertion says who is acting; the
 * role, organization, status and keys come from the actor's own row, so a revocation or role
 * change counts at once, and a session from before a key rotation is refused, even while the
 * gateway's token is still valid.
 */
export async function knownActor(
  participants: ParticipantRepository,
  actor: Actor | undefined,
): Promise<SigningActor> {
  const claimed = requireActor(actor);
  const row = await participants.findById(claimed.id);
  if (!row || row.role !== claimed.role) {
    throw new ProtocolError(
      ErrorCode.Forbidden,
      'the actor is not a known participant in this role',
    );
  }
  if (row.keyVersion !== claimed.keyVersion) {
    throw new ProtocolError(
      ErrorCode.Unauthenticated,
      'the session was opened with keys that have since been rotated; log in again',
    );
  }
  return {
    id: row.id,
    role: row.role,
    organizationId: row.organizationId,
    status: row.status,
    signingKey: row.signingKey,
    keyVersion: row.keyVersion,
  };
}

export function forbidden(why: string): ProtocolError {
  return new ProtocolError(ErrorCode.Forbidden, why);
}
