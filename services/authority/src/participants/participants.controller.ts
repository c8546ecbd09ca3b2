import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import { natsContracts as c } from '@sec-health/protocol';
import { handle } from '@sec-health/service-kit';

import { CONTEXT, type AuthorityContext } from '../runtime/runtime.js';
import { ParticipantsService } from './participants.service.js';

/** Translates NATS requests; the rules live in ParticipantsService. */
@Controller()
export class ParticipantsController {
  constructor(
    private readonly participants: ParticipantsService,
    @Inject(CONTEXT) private readonly context: AuthorityContext,
  ) {}

  @MessagePattern(c.participantRegister.subject)
  register(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.participantRegister, (input) =>
      this.participants.register(input),
    );
  }

  @MessagePattern(c.participantApprove.subject)
  approve(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.participantApprove, (input, request) =>
      this.participants.approve(request.actor, input),
    );
  }

  @MessagePattern(c.participantRevoke.subject)
  revoke(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.participantRevoke, (input, request) =>
      this.participants.revoke(request.actor, input),
    );
  }

  @MessagePattern(c.participantRotateKeys.subject)
  rotateKeys(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.participantRotateKeys, (input, request) =>
      this.participants.rotateKeys(request.actor, input),
    );
  }

  @MessagePattern(c.participantGet.subject)
  get(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.participantGet, (input, request) =>
      this.participants.get(request.actor, input.participantId),
    );
  }

  @MessagePattern(c.participantSearch.subject)
  search(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.participantSearch, (input, request) =>
      this.participants.search(request.actor, input),
    );
  }

  // An actor, or the gateway itself looking a participant up to log them in (`via: 'login'`).
  @MessagePattern(c.directoryGet.subject)
  directory(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.directoryGet, (input, request) =>
      this.participants.directory(request, input.participantId),
    );
  }
}
