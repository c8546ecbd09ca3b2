import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import { natsContracts as c } from '@sec-health/protocol';
import { handle } from '@sec-health/service-kit';

import { CONTEXT, type StorageContext } from '../runtime/runtime.js';
import { UploadsService } from '../uploads/uploads.service.js';
import { RecordQueriesService } from './record-queries.service.js';
import { RecordsService } from './records.service.js';

/** Translates NATS requests; the rules live in the services. */
@Controller()
export class RecordsController {
  constructor(
    private readonly records: RecordsService,
    private readonly queries: RecordQueriesService,
    private readonly uploads: UploadsService,
    @Inject(CONTEXT) private readonly context: StorageContext,
  ) {}

  @MessagePattern(c.recordPut.subject)
  put(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.recordPut, (input, request) =>
      this.records.announce(request.actor, input),
    );
  }

  @MessagePattern(c.uploadChunk.subject)
  chunk(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.uploadChunk, (input, request) =>
      this.uploads.chunk(request.actor, input),
    );
  }

  @MessagePattern(c.uploadComplete.subject)
  complete(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.uploadComplete, (input, request) =>
      this.uploads.complete(request.actor, input.uploadId),
    );
  }

  @MessagePattern(c.recordGet.subject)
  get(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.recordGet, (input, request) =>
      this.records.get(request.actor, input.recordId, input.version),
    );
  }

  @MessagePattern(c.recordVerify.subject)
  verify(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.recordVerify, (input, request) =>
      this.records.verify(request.actor, input.recordId, input.version),
    );
  }

  @MessagePattern(c.contentRead.subject)
  read(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.contentRead, (input, request) =>
      this.queries.read(request.actor, input),
    );
  }

  @MessagePattern(c.recordList.subject)
  list(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.recordList, (input, request) =>
      this.queries.list(request.actor, input),
    );
  }

  @MessagePattern(c.recordHistory.subject)
  history(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return handle(this.context.kit, ctx, payload, c.recordHistory, (input, request) =>
      this.queries.history(request.actor, input.recordId),
    );
  }
}
