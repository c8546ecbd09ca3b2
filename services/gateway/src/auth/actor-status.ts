import { ErrorCode, isProtocolError, natsContracts, ProtocolError } from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';

import type { ServiceClient } from '../nats/service-client.js';

const MAX_CACHED = 50_000;

interface Cached {
  readonly active: boolean;
  readonly untilMs: number;
}

/**
 * Re-checks, on authenticated requests, that the token's participant is still active, in its
 * role, with the keys it logged in with: a revocation or a key rotation ends every session issued
 * before it. The answer is cached per participant for `cacheMs` (0: ask every time), and dropped
 * at once when the authority announces a revocation or a rotation (`forget`), so the cache only
 * matters if such an event is lost.
 */
export class ActorStatusCheck {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly services: ServiceClient,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async assertActive(actor: Actor, requestId: string): Promise<void> {
    const key = `${actor.id}/${actor.role}/${actor.keyVersion}`;
    const cached = this.cache.get(key);
    const active =
      cached !== undefined && cached.untilMs > this.now()
        ? cached.active
        : await this.ask(actor, requestId, key);
    if (!active) {
      throw new ProtocolError(
        ErrorCode.Unauthenticated,
        'the token is no longer valid: the participant was revoked, changed role or rotated its keys; log in again',
      );
    }
  }

  /** Drops what is cached about a participant (a revocation or rotation was announced). */
  forget(participantId: string): void {
    for (const key of this.cache.keys()) {
      if (key.startsWith(`${participantId}/`)) this.cache.delete(key);
    }
  }

  private async ask(actor: Actor, requestId: string, key: string): Promise<boolean> {
    let active: boolean;
    try {
      const entry = await this.services.call(
        natsContracts.directoryGet,
        { participantId: actor.id },
        { requestId, actor },
      );
      active =
        entry.status === 'active' &&
        entry.role === actor.role &&
        entry.keyVersion === actor.keyVersion;
    } catch (error) {
      // Unknown, or refused to a revoked or rotated actor: either way the token no longer stands.
      if (
        !isProtocolError(error, ErrorCode.NotFound) &&
        !isProtocolError(error, ErrorCode.Forbidden) &&
        !isProtocolError(error, ErrorCode.Unauthenticated)
      ) {
        throw error;
      }
      active = false;
    }
    if (this.cacheMs > 0) this.remember(key, active);
    return active;
  }

  private remember(key: string, active: boolean): void {
    if (this.cache.size >= MAX_CACHED) {
      const now = this.now();
      for (const [k, v] of this.cache) if (v.untilMs <= now) this.cache.delete(k);
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
    }
    this.cache.set(key, { active, untilMs: this.now() + this.cacheMs });
  }
}
