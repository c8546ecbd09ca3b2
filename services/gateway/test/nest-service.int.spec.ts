import { randomUUID } from 'node:crypto';

import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import type { INestMicroservice } from '@nestjs/common';
import {
  DirectoryEntry,
  healthSubject,
  ParticipantIdRequest,
  ProtocolError,
  Subject,
} from '@sec-health/protocol';
import {
  handle,
  HealthRequest,
  natsMicroserviceOptions,
  type RequestHeaders,
} from '@sec-health/service-kit';
import type { TestNats } from '@sec-health/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { privateNats } from './support/private-nats.js';
import { callRoute, routeById, send, validInput } from './support/samples.js';
import { directoryEntry } from './support/stand-in-authority.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

/** What the Nest handler saw, by request id. */
const seen = new Map<string, RequestHeaders>();
const options = { logger: pino({ level: 'silent' }) };

@Controller()
class FakeAuthorityController {
  @MessagePattern(Subject.DirectoryGet)
  directory(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(
      options,
      ctx,
      payload,
      ParticipantIdRequest,
      'directory request',
      (input, req) => {
        if (input.participantId !== req.actor?.id) seen.set(req.requestId, req);
        if (input.participantId.startsWith('00000000')) {
          throw new ProtocolError('NOT_FOUND', 'no such participant');
        }
        return directoryEntry(input.participantId, req.actor?.role ?? 'patient', 'active');
      },
    );
  }

  @MessagePattern(healthSubject('authority'))
  health(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(options, ctx, payload, HealthRequest, 'health request', () => ({
      service: 'authority',
      status: 'up' as const,
      dependencies: {},
    }));
  }
}

@Module({ controllers: [FakeAuthorityController] })
class FakeAuthorityModule {}

let nats: TestNats;
let service: INestMicroservice;
let gw: TestGateway;

beforeAll(async () => {
  nats = await privateNats();
  service = await NestFactory.createMicroservice(FakeAuthorityModule, {
    ...natsMicroserviceOptions({ url: nats.url, service: 'authority' }),
    logger: false,
  });
  await service.listen();
  gw = await startTestGateway(nats.url);
});

afterAll(async () => {
  await gw?.stop();
  await service?.close();
  await nats?.stop();
});

describe('against a Nest microservice built with service-kit', () => {
  it('forwards input, request id and actor, and unwraps the Nest reply', async () => {
    const actor = { id: randomUUID(), role: 'collaborator' as const, organizationId: randomUUID() };
    const participantId = randomUUID();
    const requestId = `nest-${randomUUID()}`;
    const result = await callRoute(
      gw.baseUrl,
      routeById('directory.get'),
      { participantId },
      { token: await gw.token(actor), requestId },
    );
    expect(result.status).toBe(200);
    expect(DirectoryEntry.parse(result.body).id).toBe(participantId);
    expect(seen.get(requestId)).toEqual({ requestId, actor });
  });

  it("maps the service's typed error to HTTP", async () => {
    const actor = { id: randomUUID(), role: 'patient' as const, organizationId: null };
    const result = await callRoute(
      gw.baseUrl,
      routeById('directory.get'),
      { participantId: '00000000-0000-4000-8000-000000000000' },
      { token: await gw.token(actor) },
    );
    expect(result.status).toBe(404);
    expect(result.body).toMatchObject({ code: 'NOT_FOUND', requestId: result.requestId });
  });

  it('answers 503 for a subject the service does not handle, and /health is 200', async () => {
    const authority = { id: randomUUID(), role: 'authority' as const, organizationId: null };
    const result = await callRoute(
      gw.baseUrl,
      routeById('organizations.create'),
      validInput('organizations.create'),
      { token: await gw.token(authority) },
    );
    expect(result.status).toBe(503);
    expect((await send(`${gw.baseUrl}/health`, 'GET', undefined)).status).toBe(200);
  });
});
