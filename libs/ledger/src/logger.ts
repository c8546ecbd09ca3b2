/** The logging the ledger lib needs; services pass their structured logger. Fields never hold payloads. */
export interface LedgerLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const consoleLogger: LedgerLogger = {
  info: () => undefined,
  warn: (message, fields) => console.warn(JSON.stringify({ level: 'warn', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
};

/** A structured logger of the pino kind, `(fields, message)`: what the services have. */
export interface FieldsFirstLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** The ledger's logging on a service's structured logger. */
export function ledgerLoggerOf(logger: FieldsFirstLogger): LedgerLogger {
  return {
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
  };
}
