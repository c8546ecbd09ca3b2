import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import { natsContracts as c } from '@sec-health/protocol';
import { handle } from '@sec-health/service-kit';

import { CONTEXT, type SharingContext } from '../runtime/runtime.js';
import { PoliciesService } from './policies.service.js';

@Controller()
export class PoliciesController {
  constructor(
    private readonly policies: PoliciesService,
    @Inject(CONTEXT) private readonly context: SharingContext,
  ) {}

  @MessagePattern(c.policySet.subject)
  set(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.policySet, (input, request) =>
      this.policies.set(request.actor, input),
    );
  }

  @MessagePattern(c.policyGet.subject)
  get(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.policyGet, (input, request) =>
      this.policies.get(request.actor, input.patientId),
    );
  }

  @MessagePattern(c.policyResolve.subject)
  resolve(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.policyResolve, (input) =>
      this.policies.resolve(input.patientId),
    );
  }
}
