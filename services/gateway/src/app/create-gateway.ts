import { connect, type NatsConnection } from '@nats-io/transport-node';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { DestinationStream } from 'pino';

import { ActorStatusCheck } from '../auth/actor-status.js';
import { ChallengeStore } from '../auth/challenge-store.js';
import { LoginService } from '../auth/login.service.js';
import { TokenService } from '../auth/token.service.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { HealthService } from '../health/health.service.js';
import { accessLogMiddleware } from '../http/access-log.js';
import { answerClientErrors } from '../http/client-error.js';
import { GatewayExceptionFilter } from '../http/exception.filter.js';
import { RouteDispatcher } from '../http/route-dispatcher.js';
import { requestIdMiddleware } from '../http/request-id.js';
import { securityHeadersMiddleware } from '../http/security-headers.js';
import { createLogger, PinoNestLogger, type Logger } from '../logging/logger.js';
import { ServiceClient } from '../nats/service-client.js';
import { GatewayModule } from './gateway.module.js';

export interface Gateway {
  readonly app: NestExpressApplication;
  readonly nats: NatsConnection;
  readonly logger: Logger;
  /** Stops the HTTP server, then drains the NATS connection. Idempotent. */
  close(): Promise<void>;
}

export interface CreateGatewayOptions {
  /** Where log lines go (tests capture them); default stdout. */
  readonly logDestination?: DestinationStream;
}

/** Connects to NATS and builds the HTTP app (not yet listening). */
export async function createGateway(
  config: GatewayConfig,
  options: CreateGatewayOptions = {},
): Promise<Gateway> {
  const logger = createLogger(config.logLevel, options.logDestination);
  const nats = await connect({
    servers: config.natsUrl.split(',').map((s) => s.trim()),
    name: 'sec-health-gateway',
    timeout: 3_000,
    // After the first connection, keep trying for ever; requests meanwhile answer 503.
    maxReconnectAttempts: -1,
  });
  const services = new ServiceClient(nats, config.requestTimeoutMs);
  const tokens = new TokenService(config.jwtSecret);
  const login = new LoginService(new ChallengeStore(), tokens, services);
  const module = GatewayModule.create({
    dispatcher: new RouteDispatcher(
      tokens,
      services,
      new ActorStatusCheck(services, config.actorStatusCacheMs),
      login,
    ),
    health: new HealthService(nats, services, config.services),
    authRateLimitPerMinute: config.authRateLimitPerMinute,
  });
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(module, {
      logger: new PinoNestLogger(logger),
      bodyParser: false,
      abortOnError: false,
    });
  } catch (error) {
    await nats.close();
    throw error;
  }
  app.disable('x-powered-by');
  // Order matters: the request id exists before the access log and before the body is read,
  // so even a rejected body is answered and logged with it.
  app.use(requestIdMiddleware);
  app.use(securityHeadersMiddleware);
  app.use(accessLogMiddleware(logger));
  app.useBodyParser('json', { limit: config.bodyLimitBytes });
  app.useGlobalFilters(new GatewayExceptionFilter(logger, config.bodyLimitBytes));
  answerClientErrors(app.getHttpServer(), logger);

  let closing: Promise<void> | undefined;
  return {
    app,
    nats,
    logger,
    close() {
      closing ??= (async () => {
        await app.close();
        await nats.drain().catch(() => nats.close());
      })();
      return closing;
    },
  };
}
