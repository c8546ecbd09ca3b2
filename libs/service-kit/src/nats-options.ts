import type { Msg, MsgHdrs } from '@nats-io/transport-node';
import { Transport, type NatsOptions } from '@nestjs/microservices';
import { errorReply, ErrorCode, ProtocolError, queueGroup } from '@sec-health/protocol';

import type { NatsConfig } from './common-config.js';
import { natsConnectionOptions } from './nats-connection.js';

/** Stands in for a request body that is not JSON, so the handler can answer VALIDATION_FAILED. */
export const NOT_JSON: unique symbol = Symbol('not JSON');

interface IncomingPacket {
  readonly pattern: string | undefined;
  readonly data: unknown;
  /** The reply subject: Nest answers a packet with an id, and treats one without as an event. */
  readonly id: string | undefined;
}

/**
 * Requests are bare JSON bodies (the wire contract of libs/protocol), never Nest's `{pattern,
 * data, id}` packets: whatever keys a body has, it is the request's data, the subject is the
 * pattern and the reply subject the id, so every request with a reply subject is answered. A body
 * that is not JSON becomes NOT_JSON (answered VALIDATION_FAILED), an empty one undefined.
 */
export class BareJsonDeserializer {
  deserialize(message: Msg, options?: { channel?: string; replyTo?: string }): IncomingPacket {
    let data: unknown;
    try {
      data = message.data.length === 0 ? undefined : message.json();
    } catch {
      data = NOT_JSON;
    }
    return { pattern: options?.channel, data, id: options?.replyTo || undefined };
  }
}

interface OutgoingPacket {
  readonly response?: unknown;
  readonly err?: unknown;
  readonly isDisposed?: boolean;
}

/**
 * Replies leave bare: the handler's Reply itself, not Nest's `{id, response, isDisposed}`. Nest's
 * own failures (no handler for a subject, a handler that threw) become a typed error Reply.
 */
export class BareReplySerializer {
  serialize(packet: OutgoingPacket): { data: string; headers?: MsgHdrs } {
    if (packet.err !== undefined && packet.err !== null) {
      return {
        data: JSON.stringify(
          errorReply(new ProtocolError(ErrorCode.Internal, 'the service could not answer')),
        ),
      };
    }
    return { data: JSON.stringify(packet.response ?? null) };
  }
}

export interface NatsMicroserviceConfig {
  readonly nats: NatsConfig;
  readonly service: string;
}

/** Options for NestFactory.createMicroservice: NATS as the service's own principal, replicas sharing its queue group. */
export function natsMicroserviceOptions(config: NatsMicroserviceConfig): NatsOptions {
  return {
    transport: Transport.NATS,
    options: {
      ...natsConnectionOptions(config.nats, config.service),
      queue: queueGroup(config.service),
      deserializer: new BareJsonDeserializer(),
      serializer: new BareReplySerializer(),
    },
  };
}
