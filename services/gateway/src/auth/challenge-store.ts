import { randomBytes, randomUUID } from 'node:crypto';

import { ErrorCode, ProtocolError, type Challenge } from '@sec-health/protocol';

export const CHALLENGE_TTL_MS = 60_000;
const MAX_OPEN_CHALLENGES = 100_000;

interface Pending {
  readonly participantId: string;
  readonly nonce: string;
  readonly expiresAtMs: number;
}

/**
 * Login challenges: random nonces valid for 60 s and usable once. Kept in this process's memory,
 * which is right for one gateway replica only; several replicas need a shared store (or sticky
 * routing of challenge and login), since a login must reach the replica that issued its challenge.
 */
export class ChallengeStore {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(participantId: string): Challenge {
    this.sweep();
    if (this.pending.size >= MAX_OPEN_CHALLENGES) {
      throw new ProtocolError(ErrorCode.RateLimited, 'too many open login challenges; retry later');
    }
    const challengeId = randomUUID();
    const nonce = randomBytes(32).toString('base64url');
    const expiresAtMs = this.now() + CHALLENGE_TTL_MS;
    this.pending.set(challengeId, { participantId, nonce, expiresAtMs });
    return { challengeId, nonce, expiresAt: new Date(expiresAtMs).toISOString() };
  }

  /**
   * The nonce of an open challenge issued to `participantId`, consuming it whatever the outcome:
   * a failed login attempt also spends the challenge, so a signature cannot be guessed at.
   */
  take(challengeId: string, participantId: string): string {
    const found = this.pending.get(challengeId);
    this.pending.delete(challengeId);
    if (!found || found.expiresAtMs <= this.now() || found.participantId !== participantId) {
      throw new ProtocolError(
        ErrorCode.Unauthenticated,
        'the login challenge is unknown, used or expired',
      );
    }
    return found.nonce;
  }

  get size(): number {
    return this.pending.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.pending) {
      if (entry.expiresAtMs <= now) this.pending.delete(id);
    }
  }
}
