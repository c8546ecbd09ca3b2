import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import {
  ApproveParticipantRequest,
  ParticipantIdRequest,
  RegisterParticipantRequest,
  RevokeParticipantRequest,
  RotateKeysRequest,
  SearchParticipantsRequest,
  Subject,
} from '@sec-health/protocol';
import { handle, type HandleOptions } from '@sec-health/service-kit';

import { RUNTIME, type AuthorityRuntime } from '../runtime/runtime.js';
import { ParticipantsService } from './participants.service.js';

/** Translates NATS requests; the rules live in ParticipantsService. */
@Controller()
export class ParticipantsController {
  private readonly options: HandleOptions;

  constructor(
    private readonly participants: ParticipantsService,
    @Inject(RUNTIME) runtime: AuthorityRuntime,
  ) {
    this.options = { logger: runtime.logger };
  }

  @MessagePattern(Subject.ParticipantRegister)
  register(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.options, ctx, payload, RegisterParticipantRequest, 'registration', (input) =>
      this.participants.register(input),
    );
  }

  @MessagePattern(Subject.ParticipantApprove)
  approve(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(
      this.options,
      ctx,
      payload,
      ApproveParticipantRequest,
      'approval',
      (input, request) => this.participants.approve(request.actor, input),
    );
  }

  @MessagePattern(Subject.ParticipantRevoke)
  revoke(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(
      this.options,
      ctx,
      payload,
      RevokeParticipantRequest,
      'revocation',
      (input, request) => this.participants.revoke(request.actor, input),
    );
  }

  @MessagePattern(Subject.ParticipantRotateKeys)
  rotateKeys(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.options, ctx, payload, RotateKeysRequest, 'key rotation', (input, request) =>
      this.participants.rotateKeys(request.actor, input),
    );
  }

  @MessagePattern(Subject.ParticipantGet)
  get(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(
      this.options,
      ctx,
      payload,
      ParticipantIdRequest,
      'participant request',
      (input, request) => this.participants.get(request.actor, input.participantId),
    );
  }

  @MessagePattern(Subject.ParticipantSearch)
  search(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(
      this.options,
      ctx,
      payload,
      SearchParticipantsRequest,
      'search',
      (input, request) => this.participants.search(request.actor, input),
    );
  }

  // No actor required: the gateway looks participants up for login before anyone is
  // authenticated, and services verifying signatures look up keys for themselves. The HTTP
  // route is for authenticated users only (libs/protocol routes).
  @MessagePattern(Subject.DirectoryGet)
  directory(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.options, ctx, payload, ParticipantIdRequest, 'directory request', (input) =>
      this.participants.directory(input.participantId),
    );
  }
}
