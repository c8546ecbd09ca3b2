import { randomUUID } from 'node:crypto';

import { Controller, Inject, Module } from '@nestjs/common';
import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import { DirectoryEntry, healthContract, natsContracts, ProtocolError } from '@sec-health/protocol';
import {
  createServiceKit,
  handle,
  handleHealth,
  natsMicroserviceOptions,
  type RequestInfo,
  type ServiceKit,
} from '@sec-health/service-kit';
import type { SecureTestNats } from '@sec-health/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { privateNats } from './support/private-nats.js';
import { callRoute, routeById, send, validInput } from './support/samples.js';
import { directoryEntry } from './support/stand-in-services.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

/** What the Nest handler saw, by request id. */
const seen = new Map<string, RequestInfo>();
const KIT = Symbol('kit');
const health = healthContract('authority');

@Controller()
class FakeAuthorityController {
  constructor(@Inject(KIT) private readonly kit: ServiceKit) {}

  @MessagePattern(natsContracts.directoryGet.subject)
  directory(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.kit, ctx, payload, natsContracts.directoryGet, async (input, request) => {
      if (input.participantId !== request.actor?.id) seen.set(request.requestId, request);
      if (input.participantId.startsWith('00000000')) {
        throw new ProtocolError('NOT_FOUND', 'no such participant');
      }
      return directoryEntry(
        input.participantId,
        request.actor?.role ?? 'patient',
        'active',
        undefined,
        request.actor?.organizationId ?? null,
        request.actor?.keyVersion ?? 1,
      );
    });
  }

  @MessagePattern(health.subject)
  health(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handleHealth(this.kit, ctx, payload, health, async () => ({
      service: 'authority',
      status: 'up' as const,
      dependencies: {},
    }));
  }
}

let nats: SecureTestNats;
let service: INestMicroservice;
let gw: TestGateway;

beforeAll(async () => {
  nats = await privateNats();
  // Only the authority runs here: /health asks it alone.
  gw = await startTestGateway(nats, { GATEWAY_SERVICES: 'authority' });
  const kit = await createServiceKit({
    service: 'authority',
    logger: pino({ level: 'silent' }),
    gatewayPublicKey: gw.publicKey,
    limits: { maxConcurrent: 8, maxQueued: 8 },
  });
  @Module({ controllers: [FakeAuthorityController], providers: [{ provide: KIT, useValue: kit }] })
  class FakeAuthorityModule {}
  const env = nats.envFor('authority');
  service = await NestFactory.createMicroservice(FakeAuthorityModule, {
    ...natsMicroserviceOptions({
      nats: { url: env.NATS_URL!, nkeySeedFile: env.NATS_NKEY_SEED_FILE, tls: undefined },
      service: 'authority',
    }),
    logger: false,
  });
  await service.listen();
});

afterAll(async () => {
  await gw?.stop();
  await service?.close();
  await nats?.stop();
});

describe('against a Nest microservice built with service-kit', () => {
  it('forwards input, request id and the asserted actor, and reads the bare reply', async () => {
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
    expect(seen.get(requestId)).toEqual({
      requestId,
      subject: natsContracts.directoryGet.subject,
      actor: { ...actor, keyVersion: 1 },
      via: undefined,
    });
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
