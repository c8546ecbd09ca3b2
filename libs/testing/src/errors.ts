/** Every failure of this library is a TestInfraError with one of these codes. */
export const TestInfraErrorCode = {
  /** No PostgreSQL from DATABASE_URL, Docker or 127.0.0.1:5432. */
  PostgresUnavailable: 'TEST_POSTGRES_UNAVAILABLE',
  /** No NATS from NATS_URL, Docker, 127.0.0.1:4222 or a nats-server binary. */
  NatsUnavailable: 'TEST_NATS_UNAVAILABLE',
  /** No chain from CHAIN_RPC_URL and anvil could not be started. */
  ChainUnavailable: 'TEST_CHAIN_UNAVAILABLE',
  /** A child process exited or did not become ready in time. */
  ProcessStartFailed: 'TEST_PROCESS_START_FAILED',
  /** A child process survived SIGTERM and SIGKILL. */
  ProcessStopFailed: 'TEST_PROCESS_STOP_FAILED',
  /** The operation needs a process this helper started (e.g. pausing an external chain). */
  Unsupported: 'TEST_UNSUPPORTED',
} as const;
export type TestInfraErrorCode = (typeof TestInfraErrorCode)[keyof typeof TestInfraErrorCode];

export class TestInfraError extends Error {
  override readonly name = 'TestInfraError';

  constructor(
    readonly code: TestInfraErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isTestInfraError(
  value: unknown,
  code?: TestInfraErrorCode,
): value is TestInfraError {
  return value instanceof TestInfraError && (code === undefined || value.code === code);
}

/** A short, password-free description of an error for messages. */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(describeError).join('; ');
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code)
      ? `${code} ${error.message}`
      : error.message;
  }
  return String(error);
}

/** `url` with any password replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable url)';
  }
}
