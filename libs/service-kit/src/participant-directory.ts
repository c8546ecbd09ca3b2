import { natsContracts, type ResolvedParticipant } from '@sec-health/protocol';
import type { InternalClient } from './internal-client.js';

/** The authority answers at most this many ids per request (ResolveParticipantsRequest). */
const MAX_IDS_PER_REQUEST = 300;

/**
 * Participants as the authority knows them now (role, status, keys, key version, on-chain
 * reference), read over `internal.authority.participants.resolve` (ADR 0006). The reading
 * service keeps no copy: a revocation or key rotation counts at the next request. An authority
 * that does not answer is DEPENDENCY_UNAVAILABLE (InternalClient), so every rule fails closed.
 */
export class ParticipantDirectory {
  constructor(private readonly client: InternalClient) {}

  /** The known participants among `ids`, by id; unknown ids are absent. */
  async resolve(ids: readonly string[]): Promise<Map<string, ResolvedParticipant>> {
    const unique = [...new Set(ids)];
    const found = new Map<string, ResolvedParticipant>();
    for (let start = 0; start < unique.length; start += MAX_IDS_PER_REQUEST) {
      const chunk = unique.slice(start, start + MAX_IDS_PER_REQUEST);
      const { items } = await this.client.call(natsContracts.participantsResolve, { ids: chunk });
      // Only what was asked: a reply naming others changes nothing here.
      for (const item of items) if (chunk.includes(item.id)) found.set(item.id, item);
    }
    return found;
  }
}
