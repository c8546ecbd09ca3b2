import type { NatsConnection } from '@nats-io/transport-node';
import { Health, healthSubject, type Health as HealthT } from '@sec-health/protocol';

import type { ServiceClient } from '../nats/service-client.js';
import { withTimeout } from '@sec-health/service-kit';

export const HEALTH_TIMEOUT_MS = 1_000;

/** The gateway's own NATS link and each configured service's answer to `<service>.health`. */
export class HealthService {
  constructor(
    private readonly nc: NatsConnection,
    private readonly services: ServiceClient,
    private readonly serviceNames: readonly string[],
  ) {}

  async check(requestId: string): Promise<HealthT[]> {
    return Promise.all([
      this.gateway(),
      ...this.serviceNames.map((name) => this.service(name, requestId)),
    ]);
  }

  private async gateway(): Promise<HealthT> {
    try {
      await withTimeout(this.nc.flush(), HEALTH_TIMEOUT_MS);
      return { service: 'gateway', status: 'up', dependencies: { nats: { status: 'up' } } };
    } catch {
      const detail = this.nc.isClosed() ? 'connection closed' : 'no answer from NATS';
      return {
        service: 'gateway',
        status: 'down',
        dependencies: { nats: { status: 'down', detail } },
      };
    }
  }

  private async service(name: string, requestId: string): Promise<HealthT> {
    try {
      const data = await this.services.request(
        healthSubject(name),
        {},
        { requestId, timeoutMs: HEALTH_TIMEOUT_MS },
      );
      const health = Health.safeParse(data);
      if (health.success) return health.data;
      return down(name, 'malformed health reply');
    } catch (error) {
      return down(name, error instanceof Error ? error.message : 'unavailable');
    }
  }
}

function down(service: string, detail: string): HealthT {
  // The service's own dependencies are unknown; `reachable` says why it could not be asked.
  return { service, status: 'down', dependencies: { reachable: { status: 'down', detail } } };
}
