import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import { natsContracts as c } from '@sec-health/protocol';
import { handle } from '@sec-health/service-kit';

import { CONTEXT, type AuthorityContext } from '../runtime/runtime.js';
import { DirectoryReadsService } from './directory-reads.service.js';

/** Directory reads for other services, and the emergency server set for authors. */
@Controller()
export class DirectoryReadsController {
  constructor(
    private readonly reads: DirectoryReadsService,
    @Inject(CONTEXT) private readonly context: AuthorityContext,
  ) {}

  @MessagePattern(c.participantsResolve.subject)
  resolve(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.participantsResolve, (input) =>
      this.reads.resolve(input.ids),
    );
  }

  @MessagePattern(c.emergencyServersResolve.subject)
  emergencyServersForServices(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.emergencyServersResolve, () =>
      this.reads.emergencyServers(),
    );
  }

  @MessagePattern(c.emergencyServers.subject)
  emergencyServers(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.emergencyServers, () =>
      this.reads.emergencyServers(),
    );
  }
}
