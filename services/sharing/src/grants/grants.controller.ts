import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import { natsContracts as c } from '@sec-health/protocol';
import { handle } from '@sec-health/service-kit';

import { CONTEXT, type SharingContext } from '../runtime/runtime.js';
import { GrantsService } from './grants.service.js';

/** Translates NATS requests; the rules live in GrantsService and the pure rule functions. */
@Controller()
export class GrantsController {
  constructor(
    private readonly grants: GrantsService,
    @Inject(CONTEXT) private readonly context: SharingContext,
  ) {}

  @MessagePattern(c.grantCreate.subject)
  create(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.grantCreate, (input, request) =>
      this.grants.create(request.actor, input),
    );
  }

  @MessagePattern(c.grantList.subject)
  list(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.grantList, (input, request) =>
      this.grants.list(request.actor, input),
    );
  }

  @MessagePattern(c.grantGet.subject)
  get(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.grantGet, (input, request) =>
      this.grants.get(request.actor, input.consentId),
    );
  }

  @MessagePattern(c.grantFhir.subject)
  fhir(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.grantFhir, (input, request) =>
      this.grants.fhir(request.actor, input.consentId),
    );
  }

  @MessagePattern(c.grantRevoke.subject)
  revoke(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.grantRevoke, (input, request) =>
      this.grants.revoke(request.actor, input),
    );
  }

  @MessagePattern(c.grantAddKeys.subject)
  addKeys(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.grantAddKeys, (input, request) =>
      this.grants.addKeys(request.actor, input),
    );
  }

  @MessagePattern(c.grantRecipients.subject)
  recipients(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.grantRecipients, (input, request) =>
      this.grants.recipients(request.actor, input),
    );
  }

  @MessagePattern(c.grantPatients.subject)
  patients(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.grantPatients, (_input, request) =>
      this.grants.patients(request.actor),
    );
  }
}
