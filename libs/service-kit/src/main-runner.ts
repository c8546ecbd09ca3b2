import { ConfigError } from './config.js';

/**
 * Runs a service's main: a bad configuration prints one line naming the variable, any other
 * start failure prints its message; both exit non-zero.
 */
export function runMain(service: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const prefix = error instanceof ConfigError ? '' : 'failed to start: ';
    process.stderr.write(`${service}: ${prefix}${message}\n`);
    process.exit(1);
  });
}

/**
 * Calls `stop` once on the first SIGINT or SIGTERM, then exits: 0 when it stopped, 1 when stopping
 * failed or took longer than `graceMs`.
 */
export function onShutdownSignal(stop: () => Promise<void>, graceMs = 10_000): void {
  let stopping = false;
  const handler = (): void => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), graceMs).unref();
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
