import type { ServerResponse } from 'node:http';

import { Controller, Get, HttpCode, Inject, Param, Put, Req, Res } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';

import type { RateLimits } from '../config.js';
import { ContentTransfer } from './content-transfer.js';
import { MINUTE_MS } from './rate-limits.js';

/** PUT and GET of a record version's ciphertext as a byte stream (application/octet-stream). */
export function contentController(limits: RateLimits) {
  const perActor = { participant: { limit: limits.perActor, ttl: MINUTE_MS } };

  @Controller()
  class ContentController {
    constructor(@Inject(ContentTransfer) readonly transfer: ContentTransfer) {}

    @Put('/v1/uploads/:uploadId/content')
    @HttpCode(200)
    @Throttle(perActor)
    upload(
      @Req() req: Parameters<ContentTransfer['upload']>[0],
      @Res({ passthrough: true }) res: ServerResponse,
      @Param('uploadId') uploadId: string,
    ) {
      return this.transfer.upload(req, res, uploadId);
    }

    @Get('/v1/records/:recordId/versions/:version/content')
    @Throttle(perActor)
    download(
      @Req() req: Parameters<ContentTransfer['download']>[0],
      @Res() res: ServerResponse,
      @Param('recordId') recordId: string,
      @Param('version') version: string,
    ) {
      return this.transfer.download(req, res, recordId, version);
    }
  }
  return ContentController;
}
