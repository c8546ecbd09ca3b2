import { randomUUID } from 'node:crypto';

import {
  ErrorCode,
  errorReply,
  Header,
  okReply,
  parseOrThrow,
  ProtocolError,
  type Health,
  type NatsContract,
  type Reply,
} from '@sec-health/protocol';
import type { z } from 'zod';

import type { Actor } from './actor.js';
import { classify } from './dependency-errors.js';
import { NOT_JSON } from './nats-options.js';
import { runWithRequestContext } from './request-context.js';
import type { ServiceKit } from './service-kit.js';

/** The part of Nest's NatsContext the handler needs: nats.js MsgHdrs, absent without headers. */
export interface HandlerContext {
  getHeaders(): { get(name: string): string } | undefined;
}

/** What a handler knows about its request besides the input. */
export interface RequestInfo {
  readonly requestId: string;
  readonly subject: string;
  /** The authenticated actor, from the gateway's verified assertion. */
  readonly actor: Actor | undefined;
  /** Set when the gateway asks for nobody yet authenticated (a login's directory lookup). */
  readonly via: 'login' | undefined;
}

/**
 * Runs one NATS request of `contract` and always answers a Reply, bare: the request id and the
 * gateway's assertion are read from the headers and the assertion verified (else
 * UNAUTHENTICATED); the work waits for a slot of the service's concurrency bound (else
 * OVERLOADED); the input is validated, `fn` runs, and its result must match the contract's output
 * schema. A ProtocolError is answered as is, a dependency failure as DEPENDENCY_UNAVAILABLE or
 * CONFLICT, anything else as INTERNAL without details. One log line per request: subject, actor,
 * outcome, request id, duration; never the payload.
 */
export function handle<C extends NatsContract>(
  kit: ServiceKit,
  ctx: HandlerContext,
  payload: unknown,
  contract: C,
  fn: (input: z.output<C['input']>, request: RequestInfo) => Promise<z.input<C['output']>>,
): Promise<Reply<z.output<C['output']>>> {
  return run(kit, ctx, payload, contract, true, fn);
}

/** `<service>.health`: like handle, but never queued behind the concurrency bound. */
export function handleHealth(
  kit: ServiceKit,
  ctx: HandlerContext,
  payload: unknown,
  contract: NatsContract<z.ZodType, z.ZodType<Health>>,
  check: () => Promise<Health>,
): Promise<Reply<Health>> {
  return run(kit, ctx, payload, contract, false, check);
}

async function run<C extends NatsContract, T>(
  kit: ServiceKit,
  ctx: HandlerContext,
  payload: unknown,
  contract: C,
  bounded: boolean,
  fn: (input: z.output<C['input']>, request: RequestInfo) => Promise<unknown>,
): Promise<Reply<T>> {
  const started = performance.now();
  const headers = ctx.getHeaders();
  const requestId = headers?.get(Header.RequestId)?.trim().slice(0, 128) || randomUUID();
  let actor: Actor | undefined;
  const answer = async (): Promise<Reply<T>> => {
    if (payload === NOT_JSON) {
      throw new ProtocolError(
        ErrorCode.ValidationFailed,
        `invalid ${contract.subject} request: the body is not JSON`,
      );
    }
    // A service-to-service read has no actor; NATS permissions decide who may publish it.
    const caller =
      contract.caller === 'service'
        ? { actor: undefined, via: undefined }
        : await kit.assertions.verify(
            headers?.get(Header.ActorAssertion) || undefined,
            contract.subject,
            payload,
          );
    actor = caller.actor;
    if (contract.caller === 'actor' && !actor) {
      throw new ProtocolError(ErrorCode.Unauthenticated, 'authentication required');
    }
    const input = parseOrThrow(contract.input, payload, `${contract.subject} request`) as z.output<
      C['input']
    >;
    const result = await fn(input, {
      requestId,
      subject: contract.subject,
      actor,
      via: caller.via,
    });
    const output = contract.output.safeParse(result);
    if (!output.success) {
      kit.logger.error(
        {
          subject: contract.subject,
          problems: output.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`),
        },
        'the reply does not match its contract',
      );
      throw new ProtocolError(ErrorCode.Internal, 'internal error');
    }
    return okReply(output.data as T);
  };
  return runWithRequestContext({ requestId }, async () => {
    let reply: Reply<T>;
    try {
      reply = bounded ? await kit.limiter.run(answer) : await answer();
    } catch (error) {
      reply = errorReply(toProtocolError(kit, contract.subject, error), requestId);
    }
    kit.logger.info(
      {
        subject: contract.subject,
        actor: actor?.id ?? null,
        role: actor?.role ?? null,
        outcome: reply.ok ? 'ok' : reply.error.code,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
    return reply;
  });
}

function toProtocolError(kit: ServiceKit, subject: string, error: unknown): ProtocolError {
  if (error instanceof ProtocolError) return error;
  const typed = classify(error, kit.classifiers);
  if (typed) {
    kit.logger.warn({ subject, error: describeError(error) }, typed.message);
    return typed;
  }
  kit.logger.error({ subject, error: describeError(error) }, 'request failed unexpectedly');
  return new ProtocolError(ErrorCode.Internal, 'internal error');
}

/** Name and message only: a stack or a driver error's fields could carry query parameters. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 500);
  return typeof error;
}
