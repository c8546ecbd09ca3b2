import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { freePort, makeTempDir, startProcess, type ManagedProcess } from './child-process.js';
import { runCommand, runCommandAsync } from './commands.js';
import { LocalInfraError, LocalInfraErrorCode, describeError } from './errors.js';
import {
  debianPostgresCluster,
  findExecutable,
  findPostgresBinDir,
  SBIN_DIRS,
} from './executables.js';
import { probePostgres } from './probes.js';
import { waitUntil } from './wait.js';

export interface UnixUser {
  readonly uid: number;
  readonly gid: number;
}

/**
 * initdb and postgres refuse to run as root: as root, the `postgres` user to run them as;
 * otherwise undefined (run as ourselves).
 */
export function postgresUser(): UnixUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new LocalInfraError(
      LocalInfraErrorCode.ExecutableNotFound,
      'running as root and there is no `postgres` user to run initdb/postgres as: create one (apt-get install postgresql does) or run as another user',
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}

export interface StartPostgresProcessOptions {
  /** Holds initdb, postgres (see findPostgresBinDir). */
  readonly binDir: string;
  /** Bound on initdb + start. Default 60 s. */
  readonly timeoutMs?: number;
  /** Serve TLS with this certificate and key (copied next to the data, mode 0600). */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** More `-c name=value` settings. */
  readonly settings?: Readonly<Record<string, string>>;
}

export interface StartedPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication). */
  readonly adminUrl: string;
  readonly port: number;
  /** The current postgres process (a new one after `start()`). */
  readonly process: ManagedProcess;
  /** Fast shutdown (SIGINT), keeping the data: for tests of a database outage. */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port and data; resolves once it answers. */
  start(): Promise<void>;
  /** Fast shutdown (SIGINT) and removal of the data directory. */
  stop(): Promise<void>;
}

/**
 * A throw-away PostgreSQL for tests: initdb into a temp dir (trust auth, no fsync), then `postgres`
 * itself as one child process on a free loopback port, its socket in the same temp dir.
 */
export async function startPostgresProcess(
  options: StartPostgresProcessOptions,
): Promise<StartedPostgres> {
  const { binDir } = options;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const user = postgresUser();
  const dir = await makeTempDir('sec-health-pg-');
  try {
    if (user) chownSync(dir.path, user.uid, user.gid);
    const data = join(dir.path, 'data');
    await runCommandAsync(
      join(binDir, 'initdb'),
      ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      { ...user, timeoutMs, env: { ...process.env, LC_ALL: 'C' } },
    );
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      ...options.settings,
    };
    if (options.tls) {
      // postgres refuses a key file that others can read or that it does not own.
      const certFile = join(dir.path, 'server.crt');
      const keyFile = join(dir.path, 'server.key');
      copyFileSync(options.tls.certFile, certFile);
      copyFileSync(options.tls.keyFile, keyFile);
      chmodSync(keyFile, 0o600);
      if (user) {
        chownSync(certFile, user.uid, user.gid);
        chownSync(keyFile, user.uid, user.gid);
      }
      Object.assign(settings, { ssl: 'on', ssl_cert_file: certFile, ssl_key_file: keyFile });
    }
    const port = await freePort();
    const args = ['-D', data, '-p', String(port), '-k', dir.path];
    for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const launch = async (): Promise<ManagedProcess> => {
      const started = await startProcess(join(binDir, 'postgres'), args, {
        name: 'postgres',
        ...user,
      });
      await waitUntil(
        async () => {
          const error = await probePostgres(adminUrl, 500);
          if (error) throw error;
          return true;
        },
        { timeoutMs, what: `postgres on 127.0.0.1:${port}`, process: started },
      ).catch(async (error: unknown) => {
        await started.stop({ signal: 'SIGINT', graceMs: 10_000 });
        throw error;
      });
      return started;
    };
    let proc = await launch();
    // SIGTERM is a "smart" shutdown that waits for every client; SIGINT does not.
    const halt = () => proc.stop({ signal: 'SIGINT', graceMs: 10_000 });
    const stop = async (): Promise<void> => {
      await halt();
      await dir.remove();
    };
    const start = async (): Promise<void> => {
      if (!proc.hasExited()) return;
      proc = await launch();
    };
    return {
      adminUrl,
      port,
      get process() {
        return proc;
      },
      halt,
      start,
      stop,
    };
  } catch (error) {
    await dir.remove();
    if (error instanceof LocalInfraError) throw error;
    throw new LocalInfraError(
      LocalInfraErrorCode.ProcessStartFailed,
      `PostgreSQL from ${binDir} could not be started: ${describeError(error)}`,
      undefined,
      { cause: error },
    );
  }
}

/** How infra:up started PostgreSQL, recorded so infra:down stops exactly that. */
export type PostgresDaemonRecord =
  | { readonly how: 'pg_ctlcluster'; readonly version: string; readonly cluster: string }
  | { readonly how: 'pg_ctl'; readonly pgCtl: string; readonly data: string };

export interface StartPostgresDaemonOptions {
  /** Where a cluster of our own lives (`<dir>/data`) when the machine has no Debian cluster. */
  readonly dir: string;
  readonly host: string;
  readonly port: number;
  /** Bound on the server answering. Default 30 s. */
  readonly timeoutMs?: number;
}

/**
 * Starts PostgreSQL for local runs: the machine's Debian cluster via pg_ctlcluster when there is
 * one, else a cluster of our own (initdb once, then pg_ctl) in `dir`. Resolves once `SELECT 1`
 * answers on host:port.
 */
export async function startPostgresDaemon(
  options: StartPostgresDaemonOptions,
): Promise<PostgresDaemonRecord> {
  const cluster = debianPostgresCluster();
  let record: PostgresDaemonRecord;
  if (cluster) {
    runCommand(cluster.ctl, [
      '--skip-systemctl-redirect',
      cluster.version,
      cluster.cluster,
      'start',
    ]);
    record = { how: 'pg_ctlcluster', version: cluster.version, cluster: cluster.cluster };
  } else {
    const bin = findPostgresBinDir();
    if (!bin) {
      throw new LocalInfraError(
        LocalInfraErrorCode.ExecutableNotFound,
        'no PostgreSQL to start (no Debian cluster, no initdb/pg_ctl in PATH or /usr/lib/postgresql/<major>/bin): install it (apt-get install postgresql), or point DATABASE_URL at a server, or use docker compose up',
      );
    }
    const user = postgresUser();
    const data = join(options.dir, 'data');
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    if (user) chownSync(options.dir, user.uid, user.gid);
    if (!existsSync(join(data, 'PG_VERSION'))) {
      runCommand(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8'], {
        ...user,
      });
    }
    const pgCtl = join(bin, 'pg_ctl');
    const serverOptions = `-p ${options.port} -k ${options.dir} -c listen_addresses=${options.host}`;
    runCommand(
      pgCtl,
      ['-D', data, '-l', join(options.dir, 'postgres.log'), '-o', serverOptions, '-w', 'start'],
      { ...user },
    );
    record = { how: 'pg_ctl', pgCtl, data };
  }
  const url = `postgres://postgres@${options.host}:${options.port}/postgres`;
  await waitUntil(
    async () => {
      const error = await probePostgres(url, 1_000);
      if (error) throw error;
      return true;
    },
    {
      timeoutMs: options.timeoutMs ?? 30_000,
      what: `PostgreSQL (${record.how}) on ${options.host}:${options.port}`,
      intervalMs: 200,
    },
  );
  return record;
}

/** Stops what startPostgresDaemon started. */
export function stopPostgresDaemon(record: PostgresDaemonRecord): void {
  if (record.how === 'pg_ctlcluster') {
    const ctl = findExecutable('pg_ctlcluster', SBIN_DIRS) ?? 'pg_ctlcluster';
    runCommand(ctl, ['--skip-systemctl-redirect', record.version, record.cluster, 'stop']);
  } else {
    runCommand(record.pgCtl, ['-D', record.data, '-m', 'fast', '-w', 'stop'], {
      ...postgresUser(),
    });
  }
}
