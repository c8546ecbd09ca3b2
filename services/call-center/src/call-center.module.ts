import { Module, type DynamicModule } from '@nestjs/common';

import { HealthController } from './health/health.controller.js';
import { CONTEXT, type CallCenterContext } from './runtime/runtime.js';
import { SessionsController } from './sessions/sessions.controller.js';
import { SessionsService } from './sessions/sessions.service.js';

/**
 * Nest dependency injection wires controllers to services; what they share (database, chain,
 * kit, events, the directory and policy reads, the clock) is built before Nest starts and
 * provided as one CallCenterContext value.
 */
@Module({})
export class CallCenterModule {
  static with(context: CallCenterContext): DynamicModule {
    return {
      module: CallCenterModule,
      controllers: [SessionsController, HealthController],
      providers: [{ provide: CONTEXT, useValue: context }, SessionsService],
    };
  }
}
