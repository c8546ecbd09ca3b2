import { Module, type DynamicModule } from '@nestjs/common';

import { AccessCheckController } from './access-check/access-check.controller.js';
import { AccessCheckService } from './access-check/access-check.service.js';
import { GrantsController } from './grants/grants.controller.js';
import { GrantsService } from './grants/grants.service.js';
import { HealthController } from './health/health.controller.js';
import { PoliciesController } from './policies/policies.controller.js';
import { PoliciesService } from './policies/policies.service.js';
import { CONTEXT, type SharingContext } from './runtime/runtime.js';

/**
 * Nest dependency injection wires controllers to services; what they share (database, chain,
 * kit, events, the authority's directory) is built before Nest starts and provided as one
 * SharingContext value.
 */
@Module({})
export class SharingModule {
  static with(context: SharingContext): DynamicModule {
    return {
      module: SharingModule,
      controllers: [GrantsController, PoliciesController, AccessCheckController, HealthController],
      providers: [
        { provide: CONTEXT, useValue: context },
        GrantsService,
        PoliciesService,
        AccessCheckService,
      ],
    };
  }
}
