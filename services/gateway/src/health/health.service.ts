import type { NatsConnection } from '@nats-io/transport-node';
import { healthContract, type Health } from '@sec-health/protocol';
import { DEFAULT_HEALTH_TIMEOUT_MS, withTimeout } from '@sec-health/service-kit';

import type { ServiceClient } from '../nats/service-client.js';

/** How long the gateway waits for a service's health: room for its own bounded checks. */
export const HEALTH_TIMEOUT_MS = 3 * DEFAULT_HEALTH_TIMEOUT_MS;

/**
 * The gateway's own NATS link and each configured service's answer to `<service>.health`. Health
 * requests skip the gateway's bound of concurrent requests, so /health answers under load too.
 */
export class HealthService {
  constructor(
    private readonly nc: NatsConnection,
    private readonly services: ServiceClient,
    private readonly serviceNames: readonly string[],
  ) {}

  async check(requestId: string): Promise<Health[]> {
    return Promise.all([
      this.gateway(),
      ...this.serviceNames.map((name) => this.service(name, requestId)),
    ]);
  }

  private async gateway(): Promise<Health> {
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

  private async service(name: string, requestId: string): Promise<Health> {
    try {
      return await this.services.call(
        healthContract(name),
        {},
        { requestId, timeoutMs: HEALTH_TIMEOUT_MS, unbounded: true },
      );
    } catch (error) {
      return down(name, error instanceof Error ? error.message : 'unavailable');
    }
  }
}

function down(service: string, detail: string): Health {
  // The service's own dependencies are unknown; `reachable` says why it could not be asked.
  return { service, status: 'down', dependencies: { reachable: { status: 'down', detail } } };
}
