import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import { CreateOrganizationRequest, Subject } from '@sec-health/protocol';
import { handle, type HandleOptions } from '@sec-health/service-kit';

import { RUNTIME, type AuthorityRuntime } from '../runtime/runtime.js';
import { OrganizationsService } from './organizations.service.js';

@Controller()
export class OrganizationsController {
  private readonly options: HandleOptions;

  constructor(
    private readonly organizations: OrganizationsService,
    @Inject(RUNTIME) runtime: AuthorityRuntime,
  ) {
    this.options = { logger: runtime.logger };
  }

  @MessagePattern(Subject.OrganizationCreate)
  create(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(
      this.options,
      ctx,
      payload,
      CreateOrganizationRequest,
      'organization',
      (input, request) => this.organizations.create(request.actor, input),
    );
  }
}
