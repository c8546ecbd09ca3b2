import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import { natsContracts as c } from '@sec-health/protocol';
import { handle } from '@sec-health/service-kit';

import { CONTEXT, type CallCenterContext } from '../runtime/runtime.js';
import { SessionsService } from './sessions.service.js';

/** Translates NATS requests; the rules live in SessionsService and the pure rule functions. */
@Controller()
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    @Inject(CONTEXT) private readonly context: CallCenterContext,
  ) {}

  @MessagePattern(c.sessionOpen.subject)
  open(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.sessionOpen, (input, request) =>
      this.sessions.open(request.actor, input),
    );
  }

  @MessagePattern(c.sessionGet.subject)
  get(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.sessionGet, (input, request) =>
      this.sessions.get(request.actor, input.sessionId),
    );
  }

  @MessagePattern(c.sessionList.subject)
  list(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.sessionList, (input, request) =>
      this.sessions.list(request.actor, input),
    );
  }

  @MessagePattern(c.sessionReassign.subject)
  reassign(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.sessionReassign, (input, request) =>
      this.sessions.reassign(request.actor, input),
    );
  }

  @MessagePattern(c.sessionClose.subject)
  close(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.sessionClose, (input, request) =>
      this.sessions.close(request.actor, input),
    );
  }
}
