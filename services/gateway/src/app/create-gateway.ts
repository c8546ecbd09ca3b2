import { connect, type NatsConnection } from '@nats-io/transport-node';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { GATEWAY_PRINCIPAL } from '@sec-health/protocol';
import {
  ActorAssertionSigner,
  ConcurrencyLimiter,
  createLogger,
  natsConnectionOptions,
  PinoNestLogger,
  type Logger,
} from '@sec-health/service-kit';
import type { DestinationStream } from 'pino';

import { ActorStatusCheck } from '../auth/actor-status.js';
import { ChallengeStore } from '../auth/challenge-store.js';
import { LoginService } from '../auth/login.service.js';
import { readSigningKey } from '../auth/signing-key.js';
import { TokenService } from '../auth/token.service.js';
import type { GatewayConfig } from '../config.js';
import { HealthService } from '../health/health.service.js';
import { accessLogMiddleware } from '../http/access-log.js';
import { authenticateMiddleware } from '../http/authenticate.js';
import { answerClientErrors } from '../http/client-error.js';
import { ContentTransfer } from '../http/content-transfer.js';
import { GatewayExceptionFilter } from '../http/exception.filter.js';
import { RouteDispatcher } from '../http/route-dispatcher.js';
import { requestIdMiddleware } from '../http/request-id.js';
import { securityHeadersMiddleware } from '../http/security-headers.js';
import { onParticipantChange } from '../nats/participant-events.js';
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

/** Connects to NATS as the gateway principal and builds the HTTP app (not yet listening). */
export async function createGateway(
  config: GatewayConfig,
  options: CreateGatewayOptions = {},
): Promise<Gateway> {
  const logger = createLogger('gateway', {
    level: config.logLevel,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const key = readSigningKey(config.signingKeyFile);
  const tokens = await TokenService.create(key);
  const signer = await ActorAssertionSigner.fromSeed(key.seed);
  const nats = await connect(natsConnectionOptions(config.nats, GATEWAY_PRINCIPAL));
  const limiter = new ConcurrencyLimiter(
    'gateway',
    config.limits.maxConcurrent,
    config.limits.maxQueued,
  );
  const services = new ServiceClient(nats, signer, limiter, config.requestTimeoutMs);
  const status = new ActorStatusCheck(services, config.actorStatusCacheMs);
  const subscriptions = onParticipantChange(nats, (id) => status.forget(id), logger);
  const login = new LoginService(new ChallengeStore(), tokens, services);
  const dispatcher = new RouteDispatcher(services, status, login);
  const module = GatewayModule.create({
    dispatcher,
    content: new ContentTransfer(services, dispatcher),
    health: new HealthService(nats, services, config.services),
    rateLimits: config.rateLimits,
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
  // so even a rejected body is answered and logged with it; the token is checked once the body
  // is read, before the rate limits count the request.
  app.use(requestIdMiddleware);
  app.use(securityHeadersMiddleware);
  app.use(accessLogMiddleware(logger));
  app.useBodyParser('json', { limit: config.bodyLimitBytes });
  app.use(authenticateMiddleware(tokens));
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
        for (const subscription of subscriptions) subscription.unsubscribe();
        await nats.drain().catch(() => nats.close());
      })();
      return closing;
    },
  };
}
