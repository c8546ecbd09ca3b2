import {
  headers as natsHeaders,
  NoRespondersError,
  TimeoutError,
  type NatsConnection,
} from '@nats-io/transport-node';
import {
  ErrorCode,
  Header,
  ProtocolError,
  ReplySchema,
  type NatsContract,
} from '@sec-health/protocol';
import type { z } from 'zod';

import { currentRequestContext } from './request-context.js';

/**
 * A service's reads of another service (ADR 0006): `caller: 'service'` contracts only, on the
 * service's own NATS connection (known once it listens). The reply is checked against the
 * contract's output schema; a service that does not answer, or answers nonsense, is
 * DEPENDENCY_UNAVAILABLE, so the caller fails closed.
 */
export class InternalClient {
  constructor(
    private readonly connection: () => NatsConnection | undefined,
    private readonly timeoutMs = 5_000,
  ) {}

  async call<C extends NatsContract>(
    contract: C,
    input: z.input<C['input']>,
  ): Promise<z.output<C['output']>> {
    if (contract.caller !== 'service') {
      throw new TypeError(`${contract.subject} is not a service-to-service read`);
    }
    const service = contract.subject.split('.')[1] ?? contract.subject;
    const nc = this.connection();
    if (!nc) throw unavailable(service, 'not connected to NATS yet');
    const h = natsHeaders();
    const requestId = currentRequestContext()?.requestId;
    if (requestId) h.set(Header.RequestId, requestId);
    let text: string;
    try {
      const reply = await nc.request(contract.subject, JSON.stringify(input), {
        timeout: this.timeoutMs,
        headers: h,
      });
      text = reply.string();
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      throw unavailable(
        service,
        cause instanceof NoRespondersError
          ? 'no responder'
          : cause instanceof TimeoutError
            ? `no answer within ${this.timeoutMs} ms`
            : 'NATS is unavailable',
      );
    }
    let reply;
    try {
      reply = ReplySchema.safeParse(JSON.parse(text));
    } catch {
      throw unavailable(service, 'a malformed reply');
    }
    if (!reply.success) throw unavailable(service, 'a malformed reply');
    if (!reply.data.ok) {
      const body = reply.data.error;
      // The other service's client errors are ours to explain, not the caller's input.
      throw new ProtocolError(ErrorCode.DependencyUnavailable, `${service}: ${body.message}`, {
        service,
        code: body.code,
      });
    }
    const output = contract.output.safeParse(reply.data.data);
    if (!output.success) throw unavailable(service, 'a reply that breaks its contract');
    return output.data as z.output<C['output']>;
  }
}

function unavailable(service: string, reason: string): ProtocolError {
  return new ProtocolError(
    ErrorCode.DependencyUnavailable,
    `${service} is unavailable: ${reason}`,
    {
      service,
    },
  );
}
