import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import { healthContract } from '@sec-health/protocol';
import { checkHealth, handleHealth, standardHealthChecks } from '@sec-health/service-kit';

import { SERVICE_NAME } from '../config.js';
import { CONTEXT, type CallCenterContext } from '../runtime/runtime.js';

const contract = healthContract(SERVICE_NAME);

@Controller()
export class HealthController {
  constructor(@Inject(CONTEXT) private readonly context: CallCenterContext) {}

  @MessagePattern(contract.subject)
  health(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    const { runtime, kit } = this.context;
    return handleHealth(kit, ctx, payload, contract, () =>
      checkHealth(
        SERVICE_NAME,
        standardHealthChecks({
          postgres: runtime.dataSource,
          chain: runtime.provider,
          limiter: kit.limiter,
        }),
      ),
    );
  }
}
