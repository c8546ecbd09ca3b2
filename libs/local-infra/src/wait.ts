import { setTimeout as sleep } from 'node:timers/promises';

import { LocalInfraError, LocalInfraErrorCode, describeError } from './errors.js';

/** What waitUntil watches while it polls: a child or a detached process. */
export interface WatchedProcess {
  readonly name: string;
  /** undefined while the process runs; else how it ended, e.g. `code 3, signal null`. */
  exitSummary(): string | undefined;
  /** The last part of its output (or log file), for error messages. */
  output(): string;
}

export interface WaitUntilOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Named in the error, e.g. `nats-server on 127.0.0.1:4322`. */
  readonly what: string;
  /** Stop waiting, with its output in the error, as soon as this process is gone. */
  readonly process?: WatchedProcess;
}

function lastLines(text: string, count = 10): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

/**
 * Polls `probe` until it returns a value other than undefined, the process (if given) exits, or
 * `timeoutMs` passes. Throws LOCAL_INFRA_PROCESS_START_FAILED with the last probe error or the
 * process's last output.
 */
export async function waitUntil<T>(
  probe: () => Promise<T | undefined>,
  options: WaitUntilOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const exit = options.process?.exitSummary();
    if (options.process && exit !== undefined) {
      const tail = lastLines(options.process.output());
      throw new LocalInfraError(
        LocalInfraErrorCode.ProcessStartFailed,
        `${options.what}: ${options.process.name} exited (${exit}) before it was ready${tail ? `; last output:\n${tail}` : ''}`,
      );
    }
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new LocalInfraError(
        LocalInfraErrorCode.ProcessStartFailed,
        `${options.what}: not ready within ${options.timeoutMs} ms${lastError ? ` (last error: ${describeError(lastError)})` : ''}`,
        undefined,
        { cause: lastError },
      );
    }
    await sleep(options.intervalMs ?? 50);
  }
}
