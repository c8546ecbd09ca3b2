import { Module, type DynamicModule } from '@nestjs/common';

import { HealthController } from './health/health.controller.js';
import { OrganizationsController } from './organizations/organizations.controller.js';
import { OrganizationsService } from './organizations/organizations.service.js';
import { ParticipantsController } from './participants/participants.controller.js';
import { ParticipantsService } from './participants/participants.service.js';
import { RUNTIME, type AuthorityRuntime } from './runtime/runtime.js';

@Module({})
export class AuthorityModule {
  static with(runtime: AuthorityRuntime): DynamicModule {
    return {
      module: AuthorityModule,
      controllers: [ParticipantsController, OrganizationsController, HealthController],
      providers: [
        { provide: RUNTIME, useValue: runtime },
        ParticipantsService,
        OrganizationsService,
      ],
    };
  }
}
