import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

import { currentRequestContext } from './request-context.js';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  readonly level?: LoggerOptions['level'];
  /** Where lines go; default stdout. */
  readonly destination?: DestinationStream;
}

// Defence in depth: callers never pass payloads or key material, but if one ever does, these
// field names are masked rather than written.
const REDACT = [
  'payload',
  'data',
  'body',
  'keys',
  'secretKey',
  'privateKey',
  'passphrase',
  'share',
  'shares',
  'seed',
  'token',
  'signature',
  'authorization',
  '*.seed',
  '*.token',
  '*.payload',
  '*.secretKey',
  '*.privateKey',
  '*.passphrase',
  '*.share',
];

/** A JSON logger for `service`; each line carries the current request id when there is one. */
export function createLogger(service: string, options: CreateLoggerOptions = {}): Logger {
  const config: LoggerOptions = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { service },
    redact: { paths: REDACT, censor: '[redacted]' },
    // A child logger that bound the request id itself (the gateway's access log) keeps it once.
    mixin: (_merge: object, _level: number, self: Logger) => {
      const context = currentRequestContext();
      return context && !('requestId' in self.bindings()) ? { requestId: context.requestId } : {};
    },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

/** Nest's LoggerService on a pino logger: Nest's own messages become structured lines too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.logger.info(fields(rest), text(message));
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.logger.error(fields(rest), text(message));
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.logger.warn(fields(rest), text(message));
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.logger.debug(fields(rest), text(message));
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.logger.trace(fields(rest), text(message));
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.logger.fatal(fields(rest), text(message));
  }
}

function text(message: unknown): string {
  if (message instanceof Error) return `${message.name}: ${message.message}`;
  return typeof message === 'string' ? message : String(message);
}

// Nest passes the context (class name) last; a stack trace may come before it. Stacks stay out
// of the structured line's main fields but are kept for errors Nest reports itself.
function fields(rest: unknown[]): Record<string, unknown> {
  const strings = rest.filter((item): item is string => typeof item === 'string');
  const context = strings.at(-1);
  const stack = strings.length > 1 ? strings[0] : undefined;
  return { ...(context ? { context } : {}), ...(stack ? { stack } : {}) };
}
