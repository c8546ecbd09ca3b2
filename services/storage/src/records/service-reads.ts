import {
  natsContracts as c,
  type AccessCheckRequest,
  type AccessDecision,
  type EmergencyServerSet,
  type ResolvedParticipant,
} from '@sec-health/protocol';
import type { InternalClient } from '@sec-health/service-kit';

/** What storage asks other services (ADR 0006): the directory, the emergency set, grants. */
export class ServiceReads {
  constructor(private readonly client: InternalClient) {}

  /** The participants found among `ids`, by id. */
  async participants(ids: readonly string[]): Promise<Map<string, ResolvedParticipant>> {
    const { items } = await this.client.call(c.participantsResolve, { ids: [...new Set(ids)] });
    return new Map(items.map((item) => [item.id, item]));
  }

  emergencyServers(): Promise<EmergencyServerSet> {
    return this.client.call(c.emergencyServersResolve, {});
  }

  accessCheck(request: AccessCheckRequest): Promise<AccessDecision> {
    return this.client.call(c.accessCheck, request);
  }
}
