import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { Health } from '@sec-health/protocol';

import { requestIdOf, type RequestWithId } from '../http/request-id.js';
import { HealthService } from './health.service.js';

interface StatusResponse {
  status(code: number): unknown;
}

@SkipThrottle({ ip: true, participant: true })
@Controller()
export class HealthController {
  constructor(@Inject(HealthService) private readonly health: HealthService) {}

  /** 200 when the gateway and every service are up, 503 otherwise; the body says which. */
  @Get('health')
  async check(
    @Req() req: RequestWithId,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<Health[]> {
    const report = await this.health.check(requestIdOf(req));
    res.status(report.every((h) => h.status === 'up') ? 200 : 503);
    return report;
  }
}
