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
import type { Actor, ActorAssertionSigner, ConcurrencyLimiter, z } from '@sec-health/service-kit';

/** Who a request to a service is made for: a user's actor, or nobody yet (`via` says why). */
export interface CallContext {
  readonly requestId: string;
  readonly actor?: Actor;
  /** The gateway asks on its own behalf for someone not yet authenticated (a login). */
  readonly via?: 'login';
  readonly timeoutMs?: number;
  /** Health checks are not queued behind the bound of concurrent requests. */
  readonly unbounded?: boolean;
}

/**
 * Request-reply to the services on the gateway's own NATS connection: every request carries the
 * request id and an actor assertion signed for this subject and this body; the reply is the bare
 * Reply of libs/protocol, checked against the contract's output schema; a service that does not
 * answer is DEPENDENCY_UNAVAILABLE, and beyond the gateway's bound of concurrent requests the
 * caller gets OVERLOADED at once.
 */
export class ServiceClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly signer: ActorAssertionSigner,
    private readonly limiter: ConcurrencyLimiter,
    private readonly defaultTimeoutMs: number,
  ) {}

  async call<C extends NatsContract>(
    contract: C,
    input: z.input<C['input']>,
    context: CallContext,
  ): Promise<z.output<C['output']>> {
    const data = await this.request(contract.subject, input, context);
    const output = contract.output.safeParse(data);
    if (!output.success) throw malformed(contract.subject);
    return output.data as z.output<C['output']>;
  }

  /** The data of the service's Reply; its error as a ProtocolError. */
  async request(subject: string, payload: unknown, context: CallContext): Promise<unknown> {
    const send = () => this.send(subject, payload, context);
    return context.unbounded ? send() : this.limiter.run(send);
  }

  private async send(subject: string, payload: unknown, context: CallContext): Promise<unknown> {
    const body = JSON.stringify(payload ?? {});
    const h = natsHeaders();
    h.set(Header.RequestId, context.requestId);
    h.set(
      Header.ActorAssertion,
      await this.signer.sign({
        subject,
        body: JSON.parse(body) as unknown,
        requestId: context.requestId,
        ...(context.actor ? { actor: context.actor } : {}),
        ...(context.via ? { via: context.via } : {}),
      }),
    );
    const timeout = context.timeoutMs ?? this.defaultTimeoutMs;
    let text: string;
    try {
      text = (await this.nc.request(subject, body, { timeout, headers: h })).string();
    } catch (error) {
      throw unavailable(subject, error, timeout);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw malformed(subject);
    }
    const reply = ReplySchema.safeParse(json);
    if (!reply.success) throw malformed(subject);
    if (!reply.data.ok) throw ProtocolError.fromBody(reply.data.error);
    return reply.data.data;
  }
}

function serviceOf(subject: string): string {
  return subject.split('.')[0] ?? subject;
}

function unavailable(subject: string, error: unknown, timeoutMs: number): ProtocolError {
  const service = serviceOf(subject);
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

function malformed(subject: string): ProtocolError {
  const service = serviceOf(subject);
  return new ProtocolError(
    ErrorCode.DependencyUnavailable,
    `${service} answered ${subject} with a malformed reply`,
    { service },
  );
}
