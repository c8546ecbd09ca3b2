import { Controller, Get } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { buildOpenApiDocument } from '@sec-health/protocol';

export const API_VERSION = '0.1.0';

@SkipThrottle({ ip: true, participant: true })
@Controller()
export class DocsController {
  private document: unknown;

  /** The OpenAPI 3.1 document, built once from the same route table the gateway serves. */
  @Get(['docs', 'docs.json'])
  openApi(): unknown {
    this.document ??= buildOpenApiDocument({ version: API_VERSION });
    return this.document;
  }
}
