import { join } from 'node:path';

import {
  createDevCertificates,
  findPostgresBinDir,
  makeTempDir,
  startPostgresProcess,
} from '@sec-health/local-infra';

import { TestInfraError, TestInfraErrorCode, describeError } from './errors.js';

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres: give it to provideDatabase as DATABASE_URL. */
  readonly adminUrl: string;
  /** With `tls`: the throwaway CA that signed the server's certificate; else undefined. */
  readonly caFile: string | undefined;
  /** Stops the server, keeping its data: a database outage. */
  halt(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes everything. Idempotent. */
  stop(): Promise<void>;
}

/**
 * A PostgreSQL server for one suite alone (initdb in a temp dir, a free port), for what the shared
 * server must not undergo: being stopped under a running service, or serving TLS (`tls: true`,
 * with a throwaway CA made by the openssl CLI).
 */
export async function providePrivatePostgres(
  options: { readonly tls?: boolean } = {},
): Promise<PrivatePostgres> {
  const binDir = findPostgresBinDir();
  if (!binDir) {
    throw new TestInfraError(
      TestInfraErrorCode.PostgresUnavailable,
      'a private PostgreSQL needs its binaries (initdb, postgres, pg_ctl): apt-get install postgresql',
    );
  }
  const dir = await makeTempDir('sec-health-private-pg-');
  try {
    const tls = options.tls ? await createDevCertificates(join(dir.path, 'tls')) : undefined;
    const server = await startPostgresProcess({ binDir, ...(tls ? { tls } : {}) });
    let stopping: Promise<void> | undefined;
    return {
      adminUrl: server.adminUrl,
      caFile: tls?.caFile,
      halt: () => server.halt(),
      start: () => server.start(),
      stop() {
        stopping ??= server.stop().then(() => dir.remove());
        return stopping;
      },
    };
  } catch (error) {
    await dir.remove();
    throw new TestInfraError(
      TestInfraErrorCode.PostgresUnavailable,
      `a private PostgreSQL could not be started: ${describeError(error)}`,
      undefined,
      { cause: error },
    );
  }
}
