import type { NatsConnection } from '@nats-io/transport-node';
import type { EventContract } from '@sec-health/protocol';
import type { Logger } from 'pino';
import type { z } from 'zod';

import { describeError } from './handle.js';

/**
 * Publishes the service's domain events (core NATS, at most once) after the change they report
 * committed. An event that cannot be published is logged, never thrown: the change stands, and
 * consumers have another way to learn the state.
 */
export class EventPublisher {
  constructor(
    private readonly connection: () => NatsConnection | undefined,
    private readonly logger: Logger,
  ) {}

  publish<E extends EventContract>(event: E, payload: z.input<E['schema']>): void {
    const body = event.schema.safeParse(payload);
    if (!body.success) {
      this.logger.error({ subject: event.subject }, 'refused to publish a malformed event');
      return;
    }
    try {
      const nc = this.connection();
      if (!nc || nc.isClosed()) throw new Error('not connected');
      nc.publish(event.subject, JSON.stringify(body.data));
    } catch (error) {
      this.logger.warn(
        { subject: event.subject, error: describeError(error) },
        'event not published',
      );
    }
  }
}
