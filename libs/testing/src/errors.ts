import { CodedError, errorGuard } from '@sec-health/errors';

export { describeError, redactUrl } from '@sec-health/local-infra';

/** Every failure of this library is a TestInfraError with one of these codes. */
export const TestInfraErrorCode = {
  /** No PostgreSQL from DATABASE_URL, Docker or 127.0.0.1:5432. */
  PostgresUnavailable: 'TEST_POSTGRES_UNAVAILABLE',
  /** No NATS from NATS_URL, Docker, 127.0.0.1:4222 or a nats-server binary. */
  NatsUnavailable: 'TEST_NATS_UNAVAILABLE',
  /** No chain from CHAIN_RPC_URL and anvil could not be started. */
  ChainUnavailable: 'TEST_CHAIN_UNAVAILABLE',
  /** TLS was asked for and the throwaway certificates could not be made (no openssl CLI). */
  TlsUnavailable: 'TEST_TLS_UNAVAILABLE',
  /** A child process exited or did not become ready in time. */
  ProcessStartFailed: 'TEST_PROCESS_START_FAILED',
  /** A child process survived SIGTERM and SIGKILL. */
  ProcessStopFailed: 'TEST_PROCESS_STOP_FAILED',
  /** The operation needs a process this helper started (e.g. pausing an external chain). */
  Unsupported: 'TEST_UNSUPPORTED',
} as const;
export type TestInfraErrorCode = (typeof TestInfraErrorCode)[keyof typeof TestInfraErrorCode];

export class TestInfraError extends CodedError<TestInfraErrorCode> {}

export const isTestInfraError = errorGuard(TestInfraError);
