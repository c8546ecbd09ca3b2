import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ErrorCode, httpStatusOf, ProtocolError } from '@sec-health/protocol';

import { runWithRequestContext, type Logger } from '@sec-health/service-kit';

import { requestIdOf, type RequestWithId } from './request-id.js';

interface JsonResponse {
  readonly headersSent: boolean;
  setHeader(name: string, value: string): unknown;
  status(code: number): { json(body: unknown): void };
}

/**
 * Every failure leaves as a typed error body {code, message, details?, requestId}. Bad input of
 * any kind is a 4xx; anything unexpected is a 500 whose body says nothing more, and is logged.
 */
@Catch()
export class GatewayExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly bodyLimitBytes: number,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<RequestWithId>();
    const res = http.getResponse<JsonResponse>();
    const requestId = requestIdOf(req);
    const error = this.toProtocolError(exception);
    if (error.code === ErrorCode.Internal) {
      runWithRequestContext({ requestId }, () => this.logUnexpected(exception));
    }
    if (res.headersSent) return;
    const retryAfter = error.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    res.status(httpStatusOf(error.code)).json(error.toBody(requestId));
  }

  private toProtocolError(exception: unknown): ProtocolError {
    if (exception instanceof ProtocolError) return exception;
    // Nest's Express adapter wraps body-parser's errors in an HttpException; the cause tells which.
    const parser = bodyParserError(
      exception instanceof HttpException ? exception.cause : exception,
    );
    if (parser === 'entity.too.large') {
      return new ProtocolError(
        ErrorCode.PayloadTooLarge,
        `the body exceeds ${this.bodyLimitBytes} bytes`,
        { limitBytes: this.bodyLimitBytes },
      );
    }
    if (parser === 'entity.parse.failed') {
      return new ProtocolError(ErrorCode.ValidationFailed, 'the body is not valid JSON');
    }
    if (parser !== undefined) {
      return new ProtocolError(ErrorCode.ValidationFailed, 'the body could not be read');
    }
    if (exception instanceof HttpException) return fromHttpStatus(exception.getStatus());
    return new ProtocolError(ErrorCode.Internal, 'internal error');
  }

  private logUnexpected(exception: unknown): void {
    const err =
      exception instanceof Error
        ? { name: exception.name, message: exception.message, stack: exception.stack }
        : { name: typeof exception };
    this.logger.error({ err }, 'unexpected error');
  }
}

function fromHttpStatus(status: number): ProtocolError {
  switch (status) {
    case 401:
      return new ProtocolError(ErrorCode.Unauthenticated, 'authentication required');
    case 403:
      return new ProtocolError(ErrorCode.Forbidden, 'forbidden');
    case 404:
      return new ProtocolError(ErrorCode.NotFound, 'no such route');
    case 413:
      return new ProtocolError(ErrorCode.PayloadTooLarge, 'payload too large');
    case 429:
      return new ProtocolError(ErrorCode.RateLimited, 'too many requests; retry later');
    default:
      return status >= 400 && status < 500
        ? new ProtocolError(ErrorCode.ValidationFailed, 'invalid request')
        : new ProtocolError(ErrorCode.Internal, 'internal error');
  }
}

/** body-parser's errors carry a `type` such as `entity.too.large` and a 4xx `status`. */
function bodyParserError(exception: unknown): string | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { type, status } = exception as { type?: unknown; status?: unknown };
  return typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500
    ? type
    : undefined;
}
