import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import { healthSubject } from '@sec-health/protocol';
import {
  checkHealth,
  handle,
  HealthRequest,
  standardHealthChecks,
  type HandleOptions,
} from '@sec-health/service-kit';

import { SERVICE_NAME } from '../config.js';
import { RUNTIME, type AuthorityRuntime } from '../runtime/runtime.js';

@Controller()
export class HealthController {
  private readonly options: HandleOptions;

  constructor(@Inject(RUNTIME) private readonly runtime: AuthorityRuntime) {
    this.options = { logger: runtime.logger };
  }

  @MessagePattern(healthSubject(SERVICE_NAME))
  health(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.options, ctx, payload, HealthRequest, 'health request', () =>
      checkHealth(
        SERVICE_NAME,
        standardHealthChecks({ postgres: this.runtime.dataSource, chain: this.runtime.provider }),
      ),
    );
  }
}
