import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { httpRoutes, type HttpRoute } from '@sec-health/protocol';

import type { RateLimits } from '../config.js';
import { DocsController } from '../docs/docs.controller.js';
import { HealthController } from '../health/health.controller.js';
import { HealthService } from '../health/health.service.js';
import { contentController } from '../http/content.controller.js';
import { ContentTransfer } from '../http/content-transfer.js';
import { throttlerOptions } from '../http/rate-limits.js';
import { RouteDispatcher } from '../http/route-dispatcher.js';
import { routesController } from '../http/routes.controller.js';

export interface GatewayParts {
  readonly dispatcher: RouteDispatcher;
  readonly content: ContentTransfer;
  readonly health: HealthService;
  readonly rateLimits: RateLimits;
}

@Module({})
export class GatewayModule {
  static create(parts: GatewayParts): DynamicModule {
    const routes = httpRoutes as readonly HttpRoute[];
    parts.dispatcher.assertServes(routes);
    return {
      module: GatewayModule,
      imports: [ThrottlerModule.forRoot(throttlerOptions(parts.rateLimits))],
      controllers: [
        routesController(routes, parts.rateLimits),
        contentController(parts.rateLimits),
        HealthController,
        DocsController,
      ],
      providers: [
        { provide: RouteDispatcher, useValue: parts.dispatcher },
        { provide: ContentTransfer, useValue: parts.content },
        { provide: HealthService, useValue: parts.health },
        { provide: APP_GUARD, useClass: ThrottlerGuard },
      ],
    };
  }
}
