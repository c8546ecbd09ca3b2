import {
  headers as natsHeaders,
  NoRespondersError,
  TimeoutError,
  type NatsConnection,
} from '@nats-io/transport-node';
import {
  ErrorBodySchema,
  ErrorCode,
  Header,
  ProtocolError,
  ReplySchema,
} from '@sec-health/protocol';

import type { Actor } from '../auth/actor.js';

/** Who a request to a service is made for: a user's actor, or the gateway itself. */
export interface CallContext {
  readonly requestId: string;
  readonly actor?: Actor;
  /** Set instead of an actor when the gateway asks on its own behalf (see INTERNAL_CALLER). */
  readonly internalCaller?: string;
  readonly timeoutMs?: number;
}

/**
 * NATS header naming the gateway as the caller of an internal request made for nobody yet
 * authenticated (the directory lookup of a login). Proposed for libs/protocol headers.ts.
 */
export const INTERNAL_CALLER_HEADER = Header.InternalCaller;

/**
 * Request-reply to the services with the plain NATS connection: it has a per-request timeout,
 * reports "no responders" at once and takes headers directly, which Nest's ClientProxy lacks
 * or needs a custom serializer for.
 */
export class ServiceClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly defaultTimeoutMs: number,
  ) {}

  /** The data of the service's Reply; its error as a ProtocolError; 503 when nobody answers. */
  async request(subject: string, payload: unknown, context: CallContext): Promise<unknown> {
    const h = natsHeaders();
    h.set(Header.RequestId, context.requestId);
    if (context.actor) {
      h.set(Header.ActorId, context.actor.id);
      h.set(Header.ActorRole, context.actor.role);
      if (context.actor.organizationId !== null) {
        h.set(Header.ActorOrganization, context.actor.organizationId);
      }
    }
    if (context.internalCaller) h.set(INTERNAL_CALLER_HEADER, context.internalCaller);
    const timeout = context.timeoutMs ?? this.defaultTimeoutMs;
    let text: string;
    try {
      const msg = await this.nc.request(subject, JSON.stringify(payload), { timeout, headers: h });
      text = msg.string();
    } catch (error) {
      throw unavailable(subject, error, timeout);
    }
    return decodeReply(subject, text);
  }
}

function unavailable(subject: string, error: unknown, timeoutMs: number): ProtocolError {
  const service = subject.split('.')[0] ?? subject;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const reason =
    cause instanceof NoRespondersError
      ? 'no responder'
      : cause instanceof TimeoutError
        ? `no answer within ${timeoutMs} ms`
        : 'NATS is unavailable';
  return new ProtocolError(
    ErrorCode.DependencyUnavailable,
    `${service} is unavailable: ${reason}`,
    {
      service,
    },
  );
}

function decodeReply(subject: string, text: string): unknown {
  const service = subject.split('.')[0] ?? subject;
  const malformed = () =>
    new ProtocolError(
      ErrorCode.DependencyUnavailable,
      `${service} answered ${subject} with a malformed reply`,
      { service },
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw malformed();
  }
  const reply = ReplySchema.safeParse(unwrapNestPacket(json, service));
  if (!reply.success) throw malformed();
  if (!reply.data.ok) throw ProtocolError.fromBody(reply.data.error);
  return reply.data.data;
}

/**
 * Nest microservices answer `{id, response, isDisposed}`, or `{id, err, status}` when the handler
 * threw or none matched; plain NATS responders answer the Reply itself.
 */
function unwrapNestPacket(json: unknown, service: string): unknown {
  if (typeof json !== 'object' || json === null || !('isDisposed' in json || 'err' in json)) {
    return json;
  }
  const packet = json as { response?: unknown; err?: unknown };
  if (packet.err === undefined || packet.err === null) return packet.response;
  const typed = ErrorBodySchema.safeParse(packet.err);
  if (typed.success) return { ok: false, error: typed.data };
  throw new ProtocolError(ErrorCode.DependencyUnavailable, `${service} failed to answer`, {
    service,
  });
}
