import {
  findExecutable,
  freePort,
  makeTempDir,
  probeNats,
  SBIN_DIRS,
  startNatsServer,
} from '@sec-health/local-infra';

import { dockerEngineAvailable } from './docker.js';
import { TestInfraError, TestInfraErrorCode, describeError, redactUrl } from './errors.js';

export interface TestNats {
  readonly url: string;
  /** NATS_URL, a testcontainers container, the local server on 4222, or a nats-server started here. */
  readonly source: 'env' | 'testcontainers' | 'local' | 'process';
  /** Whether the server announced JetStream. */
  readonly jetstream: boolean;
  /** PID of the nats-server started here (source `process`), else undefined. */
  readonly pid: number | undefined;
  /** Stops what this helper started (process or container); a no-op for env/local. Idempotent. */
  stop(): Promise<void>;
}

export interface ProvideNatsOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Use testcontainers when Docker answers. Default: probe. */
  readonly docker?: boolean;
  /** The already running server to try. Default nats://127.0.0.1:4222. */
  readonly localUrl?: string;
  /** nats-server binary name or path. Default NATS_SERVER_BIN, else `nats-server` from PATH. */
  readonly natsServer?: string;
  /** Where to look for it after PATH. Default /usr/sbin, /sbin, /usr/local/sbin, /usr/local/bin. */
  readonly natsServerDirs?: readonly string[];
  /** Bound on starting a server. Default 15 s. */
  readonly startTimeoutMs?: number;
}

export const DEFAULT_LOCAL_NATS_URL = 'nats://127.0.0.1:4222';
export const NATS_IMAGE = 'nats:2.10-alpine';
export const START_NATS_COMMAND =
  'start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log';

async function tryProbe(url: string, timeoutMs?: number): Promise<{ jetstream: boolean } | Error> {
  try {
    return await probeNats(url, timeoutMs === undefined ? {} : { timeoutMs });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

async function fromContainer(): Promise<TestNats> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const started = await new GenericContainer(NATS_IMAGE)
    .withCommand(['-js'])
    .withExposedPorts(4222)
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
    .withStartupTimeout(120_000)
    .start();
  const url = `nats://${started.getHost()}:${started.getMappedPort(4222)}`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    source: 'testcontainers',
    jetstream: true,
    pid: undefined,
    stop() {
      stopping ??= started.stop().then(() => undefined);
      return stopping;
    },
  };
}

async function fromProcess(binary: string, startTimeoutMs: number): Promise<TestNats> {
  const store = await makeTempDir('sec-health-nats-');
  try {
    const port = await freePort();
    const server = await startNatsServer({
      binary,
      port,
      storeDir: store.path,
      timeoutMs: startTimeoutMs,
    });
    let stopping: Promise<void> | undefined;
    return {
      url: server.url,
      source: 'process',
      jetstream: server.info.jetstream === true,
      pid: server.process.pid,
      stop() {
        stopping ??= server.stop().then(() => store.remove());
        return stopping;
      },
    };
  } catch (error) {
    await store.remove();
    throw error;
  }
}

/**
 * A NATS server for one test suite, from the first of: NATS_URL; a testcontainers NATS when
 * Docker answers; the local server at 127.0.0.1:4222; a `nats-server` from PATH started on a free
 * port with JetStream and a temporary store (stopped and removed by `stop()`).
 * Throws TEST_NATS_UNAVAILABLE naming what is missing and how to provide it.
 */
export async function provideNats(options: ProvideNatsOptions = {}): Promise<TestNats> {
  const env = options.env ?? process.env;
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  const noop = (): Promise<void> => Promise.resolve();

  if (env.NATS_URL) {
    const result = await tryProbe(env.NATS_URL, 3_000);
    if (result instanceof Error) {
      throw new TestInfraError(
        TestInfraErrorCode.NatsUnavailable,
        `NATS_URL is set (${redactUrl(env.NATS_URL)}) but the server did not answer: ${describeError(result)}. Fix NATS_URL or unset it.`,
        undefined,
        { cause: result },
      );
    }
    return {
      url: env.NATS_URL,
      source: 'env',
      jetstream: result.jetstream,
      pid: undefined,
      stop: noop,
    };
  }

  if (options.docker ?? (await dockerEngineAvailable(env))) {
    try {
      return await fromContainer();
    } catch (error) {
      throw new TestInfraError(
        TestInfraErrorCode.NatsUnavailable,
        `Docker answers but the NATS test container (${NATS_IMAGE}) failed: ${describeError(error)}. Set NATS_URL, or SEC_HEALTH_NO_DOCKER=1 to use a local nats-server.`,
        undefined,
        { cause: error },
      );
    }
  }

  const localUrl = options.localUrl ?? DEFAULT_LOCAL_NATS_URL;
  const local = await tryProbe(localUrl);
  if (!(local instanceof Error)) {
    return {
      url: localUrl,
      source: 'local',
      jetstream: local.jetstream,
      pid: undefined,
      stop: noop,
    };
  }

  const name = options.natsServer ?? env.NATS_SERVER_BIN ?? 'nats-server';
  const dirs = options.natsServerDirs ?? SBIN_DIRS;
  const binary = findExecutable(name, dirs, env);
  if (binary) {
    try {
      return await fromProcess(binary, startTimeoutMs);
    } catch (error) {
      throw new TestInfraError(
        TestInfraErrorCode.NatsUnavailable,
        `nothing answers on ${localUrl} and starting ${binary} failed: ${describeError(error)}`,
        undefined,
        { cause: error },
      );
    }
  }

  throw new TestInfraError(
    TestInfraErrorCode.NatsUnavailable,
    [
      `No NATS for tests: NATS_URL is not set, no Docker engine answered, nothing answers on`,
      `${localUrl} (${describeError(local)}), and no ${name} executable was found in PATH or ${dirs.join(', ') || '(no other dirs)'}.`,
      'Provide one of:',
      '  - NATS_URL=nats://host:4222;',
      `  - the local NATS: npm run infra:up, or ${START_NATS_COMMAND};`,
      '  - nats-server in PATH (https://github.com/nats-io/nats-server/releases);',
      '  - a running Docker engine (testcontainers then starts one).',
    ].join('\n'),
    undefined,
    { cause: local },
  );
}
