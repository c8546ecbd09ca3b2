import type { Msg } from '@nats-io/transport-node';
import { Transport, type NatsOptions } from '@nestjs/microservices';
import { queueGroup } from '@sec-health/protocol';

/** Stands in for a request body that is not JSON, so the handler can answer VALIDATION_FAILED. */
export const NOT_JSON: unique symbol = Symbol('not JSON');

interface NestPacket {
  pattern?: unknown;
  data?: unknown;
  id?: unknown;
}

/**
 * Nest's NATS deserializer, except that (1) a body that is not JSON becomes NOT_JSON instead of
 * an exception Nest only logs (the caller would wait for its timeout), and (2) a plain JSON
 * request (not a Nest packet) is answered too, with its reply subject as the packet id: Nest
 * treats a packet without id as an event and would never reply.
 */
export class LenientNatsDeserializer {
  deserialize(message: Msg, options?: { channel?: string; replyTo?: string }): NestPacket {
    let value: unknown;
    try {
      value = message.data.length === 0 ? undefined : message.json();
    } catch {
      value = NOT_JSON;
    }
    if (isNestPacket(value)) return value;
    return { pattern: options?.channel, data: value, id: options?.replyTo || undefined };
  }
}

function isNestPacket(value: unknown): value is NestPacket {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    ('pattern' in value || 'data' in value)
  );
}

export interface NatsMicroserviceConfig {
  readonly url: string;
  readonly service: string;
}

/** Options for NestFactory.createMicroservice: NATS, replicas sharing the service's queue group. */
export function natsMicroserviceOptions(config: NatsMicroserviceConfig): NatsOptions {
  return {
    transport: Transport.NATS,
    options: {
      servers: [config.url],
      queue: queueGroup(config.service),
      name: config.service,
      deserializer: new LenientNatsDeserializer(),
    },
  };
}
