import {
  DirectoryEntry,
  ErrorCode,
  isProtocolError,
  ProtocolError,
  Subject,
} from '@sec-health/protocol';

import type { ServiceClient } from '../nats/service-client.js';
import type { Actor } from './actor.js';

const MAX_CACHED = 50_000;

interface Cached {
  readonly active: boolean;
  readonly untilMs: number;
}

/**
 * Re-checks, on authenticated requests, that the token's participant is still active in its
 * role, so a revocation ends its sessions within `cacheMs` instead of at token expiry. The
 * answer is cached per participant and role for `cacheMs` (0: ask on every request). The lookup
 * is made as the actor itself: any participant may read a directory entry.
 */
export class ActorStatusCheck {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly services: ServiceClient,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async assertActive(actor: Actor, requestId: string): Promise<void> {
    const key = `${actor.id}/${actor.role}`;
    const cached = this.cache.get(key);
    const active =
      cached !== undefined && cached.untilMs > this.now()
        ? cached.active
        : await this.ask(actor, requestId);
    if (!active) {
      throw new ProtocolError(
        ErrorCode.Unauthenticated,
        'the token is no longer valid: the participant is not active in this role',
      );
    }
  }

  private async ask(actor: Actor, requestId: string): Promise<boolean> {
    let active: boolean;
    try {
      const data = await this.services.request(
        Subject.DirectoryGet,
        { participantId: actor.id },
        { requestId, actor },
      );
      const entry = DirectoryEntry.safeParse(data);
      if (!entry.success) {
        throw new ProtocolError(
          ErrorCode.DependencyUnavailable,
          'authority answered with a malformed directory entry',
          { service: 'authority' },
        );
      }
      active = entry.data.status === 'active' && entry.data.role === actor.role;
    } catch (error) {
      // Unknown, or refused to a revoked actor: either way the token no longer stands.
      if (
        !isProtocolError(error, ErrorCode.NotFound) &&
        !isProtocolError(error, ErrorCode.Forbidden)
      ) {
        throw error;
      }
      active = false;
    }
    if (this.cacheMs > 0) this.remember(`${actor.id}/${actor.role}`, active);
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
