import { execFile } from 'node:child_process';
import { chownSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import pg from 'pg';

import { TestInfraError, TestInfraErrorCode, describeError } from './errors.js';
import {
  findExecutable,
  freePort,
  makeTempDir,
  startProcess,
  waitUntil,
  type ManagedProcess,
} from './process.js';

const run = promisify(execFile);

/** Debian/Ubuntu install PostgreSQL outside PATH: /usr/lib/postgresql/<major>/bin, newest first. */
export function debianPostgresBinDirs(root = '/usr/lib/postgresql'): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'));
}

/** The directory holding both `initdb` and `postgres`: PATH first, then `extraDirs`. */
export function findPostgresBinDir(
  extraDirs: readonly string[],
  env: NodeJS.ProcessEnv,
): string | undefined {
  const initdb = findExecutable('initdb', extraDirs, env);
  if (!initdb) return undefined;
  const dir = initdb.slice(0, initdb.lastIndexOf('/'));
  return findExecutable(join(dir, 'postgres')) ? dir : undefined;
}

/** initdb and postgres refuse to run as root: as root, run them as the `postgres` user. */
function unprivilegedUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new TestInfraError(
      TestInfraErrorCode.PostgresUnavailable,
      'running as root and there is no `postgres` user to run initdb/postgres as',
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}

export interface StartedPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication). */
  readonly adminUrl: string;
  readonly process: ManagedProcess;
  /** Fast shutdown (SIGINT) and removal of the data directory. */
  stop(): Promise<void>;
}

/**
 * A throw-away PostgreSQL: initdb into a temp dir (trust auth, no fsync), then `postgres` itself as
 * one child process on a free loopback port, with its socket in the same temp dir.
 */
export async function startPostgres(binDir: string, timeoutMs: number): Promise<StartedPostgres> {
  const user = unprivilegedUser();
  const dir = await makeTempDir('sec-health-pg-');
  try {
    if (user) chownSync(dir.path, user.uid, user.gid);
    const data = join(dir.path, 'data');
    await run(
      join(binDir, 'initdb'),
      ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      { ...user, timeout: timeoutMs, env: { ...process.env, LC_ALL: 'C' } },
    );
    const port = await freePort();
    const proc = await startProcess(
      join(binDir, 'postgres'),
      ['-D', data, '-p', String(port), '-k', dir.path, '-c', 'listen_addresses=127.0.0.1'].concat([
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ]),
      { name: 'postgres', ...user },
    );
    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const stop = async (): Promise<void> => {
      // SIGTERM is a "smart" shutdown that waits for every client; SIGINT does not.
      await proc.stop({ signal: 'SIGINT', graceMs: 10_000 });
      await dir.remove();
    };
    try {
      await waitUntil(
        async () => {
          const client = new pg.Client({
            connectionString: adminUrl,
            connectionTimeoutMillis: 500,
          });
          client.on('error', () => undefined);
          await client.connect();
          await client.end();
          return true;
        },
        { timeoutMs, what: `postgres on 127.0.0.1:${port}`, process: proc },
      );
    } catch (error) {
      await stop();
      throw error;
    }
    return { adminUrl, process: proc, stop };
  } catch (error) {
    await dir.remove();
    if (error instanceof TestInfraError) throw error;
    throw new TestInfraError(
      TestInfraErrorCode.ProcessStartFailed,
      `initdb in ${binDir} failed: ${describeError(error)}`,
      { cause: error },
    );
  }
}
