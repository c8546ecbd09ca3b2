import { Module, type DynamicModule } from '@nestjs/common';

import { DirectoryReadsController } from './directory/directory-reads.controller.js';
import { DirectoryReadsService } from './directory/directory-reads.service.js';
import { HealthController } from './health/health.controller.js';
import { OrganizationsController } from './organizations/organizations.controller.js';
import { OrganizationsService } from './organizations/organizations.service.js';
import { ParticipantsController } from './participants/participants.controller.js';
import { ParticipantsService } from './participants/participants.service.js';
import { CONTEXT, type AuthorityContext } from './runtime/runtime.js';

/**
 * Nest dependency injection wires controllers to services; what they share (database, chain,
 * kit) is built before Nest starts and provided as one AuthorityContext value.
 */
@Module({})
export class AuthorityModule {
  static with(context: AuthorityContext): DynamicModule {
    return {
      module: AuthorityModule,
      controllers: [
        ParticipantsController,
        OrganizationsController,
        DirectoryReadsController,
        HealthController,
      ],
      providers: [
        { provide: CONTEXT, useValue: context },
        ParticipantsService,
        OrganizationsService,
        DirectoryReadsService,
      ],
    };
  }
}
