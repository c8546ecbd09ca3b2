import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger } from 'pino';

import { currentRequestId } from './request-context.js';

export type { Logger };

/** The gateway's JSON logger; the request id of the current request is added to every line. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'gateway' },
    mixin: (_merge: object, _level: number, self: Logger) => {
      const requestId = currentRequestId();
      // The access log binds the id itself; adding it again would repeat the key.
      return requestId === undefined || 'requestId' in self.bindings() ? {} : { requestId };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Nest's logger interface on pino; messages only, never whole objects or payloads. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info(fields(context), text(message));
  }

  error(message: unknown, stackOrContext?: string, context?: string): void {
    // Nest passes (message, stack, context), or (message, context) when there is no stack.
    const stack = context === undefined ? undefined : stackOrContext;
    this.logger.error(
      { ...fields(context ?? stackOrContext), ...(stack ? { stack } : {}) },
      text(message),
    );
  }

  warn(message: unknown, context?: string): void {
    this.logger.warn(fields(context), text(message));
  }

  debug(message: unknown, context?: string): void {
    this.logger.debug(fields(context), text(message));
  }

  verbose(message: unknown, context?: string): void {
    this.logger.trace(fields(context), text(message));
  }

  fatal(message: unknown, context?: string): void {
    this.logger.fatal(fields(context), text(message));
  }
}

function fields(context: string | undefined): Record<string, string> {
  return context === undefined ? {} : { context };
}

function text(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message instanceof Error) return `${message.name}: ${message.message}`;
  return String(message);
}
