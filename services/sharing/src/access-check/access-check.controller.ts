import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import { natsContracts as c } from '@sec-health/protocol';
import { handle } from '@sec-health/service-kit';

import { CONTEXT, type SharingContext } from '../runtime/runtime.js';
import { AccessCheckService } from './access-check.service.js';

/** The service-to-service read other services make of the grants (caller 'service'). */
@Controller()
export class AccessCheckController {
  constructor(
    private readonly access: AccessCheckService,
    @Inject(CONTEXT) private readonly context: SharingContext,
  ) {}

  @MessagePattern(c.accessCheck.subject)
  check(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.accessCheck, (input) =>
      this.access.check(input),
    );
  }
}
