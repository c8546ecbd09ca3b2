import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import { healthContract } from '@sec-health/protocol';
import { checkHealth, handleHealth, standardHealthChecks } from '@sec-health/service-kit';

import { SERVICE_NAME } from '../config.js';
import { CONTEXT, type StorageContext } from '../runtime/runtime.js';

const contract = healthContract(SERVICE_NAME);
const EMPTY_CONTENT_CID = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku';

@Controller()
export class HealthController {
  constructor(@Inject(CONTEXT) private readonly context: StorageContext) {}

  @MessagePattern(contract.subject)
  health(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    const { runtime, kit } = this.context;
    return handleHealth(kit, ctx, payload, contract, () =>
      checkHealth(SERVICE_NAME, {
        ...standardHealthChecks({
          postgres: runtime.dataSource,
          chain: runtime.provider,
          limiter: kit.limiter,
        }),
        // The node answers for content it holds: a read of the empty content's well-known CID.
        ipfs: () => runtime.content.has(EMPTY_CONTENT_CID),
      }),
    );
  }
}
