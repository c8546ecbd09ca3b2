import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import { natsContracts } from '@sec-health/protocol';
import { handle } from '@sec-health/service-kit';

import { CONTEXT, type AuthorityContext } from '../runtime/runtime.js';
import { OrganizationsService } from './organizations.service.js';

const { organizationCreate } = natsContracts;

/** Translates NATS requests; the rules live in OrganizationsService. */
@Controller()
export class OrganizationsController {
  constructor(
    private readonly organizations: OrganizationsService,
    @Inject(CONTEXT) private readonly context: AuthorityContext,
  ) {}

  @MessagePattern(organizationCreate.subject)
  create(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, organizationCreate, (input, request) =>
      this.organizations.create(request.actor, input),
    );
  }
}
