import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, isAbsolute, join } from 'node:path';

import { LocalInfraError, LocalInfraErrorCode } from './errors.js';

/** Where Debian puts daemons such as nats-server, outside a normal user's PATH. */
export const SBIN_DIRS: readonly string[] = [
  '/usr/sbin',
  '/sbin',
  '/usr/local/sbin',
  '/usr/local/bin',
];

export function canExecute(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Absolute path of an executable: `name` itself if it is a path, else the first match in PATH,
 * then in `extraDirs`.
 */
export function findExecutable(
  name: string,
  extraDirs: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (isAbsolute(name) || name.includes('/')) return canExecute(name) ? name : undefined;
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (canExecute(candidate)) return candidate;
  }
  return undefined;
}

/** nats-server: NATS_SERVER_BIN, else PATH, else the sbin directories. */
export function natsServerPath(
  env: NodeJS.ProcessEnv = process.env,
  extraDirs: readonly string[] = SBIN_DIRS,
): string | undefined {
  return findExecutable(env.NATS_SERVER_BIN || 'nats-server', extraDirs, env);
}

/** Like natsServerPath, but throws a message that says how to install it. */
export function requireNatsServer(env: NodeJS.ProcessEnv = process.env): string {
  const found = natsServerPath(env);
  if (found) return found;
  throw new LocalInfraError(
    LocalInfraErrorCode.ExecutableNotFound,
    `nats-server not found (NATS_SERVER_BIN, PATH, ${SBIN_DIRS.join(', ')}): install it (apt-get install nats-server, or a release from https://github.com/nats-io/nats-server/releases), or set NATS_SERVER_BIN=/path/to/nats-server`,
  );
}

/**
 * The anvil binary shipped in the npm package @foundry-rs/anvil-<platform>-<arch> (an optional
 * dependency of @foundry-rs/anvil), or ANVIL_BIN. One process, unlike `npx anvil`.
 */
export function anvilBinaryPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ANVIL_BIN) {
    if (canExecute(env.ANVIL_BIN)) return env.ANVIL_BIN;
    throw new LocalInfraError(
      LocalInfraErrorCode.ExecutableNotFound,
      `ANVIL_BIN=${env.ANVIL_BIN} is not an executable file: fix or unset ANVIL_BIN`,
    );
  }
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const platformPackage = `@foundry-rs/anvil-${process.platform}-${arch}`;
  const binary = process.platform === 'win32' ? 'anvil.exe' : 'anvil';
  try {
    const wrapper = createRequire(import.meta.url).resolve('@foundry-rs/anvil/package.json');
    const packageJson = createRequire(wrapper).resolve(`${platformPackage}/package.json`);
    const path = join(dirname(packageJson), 'bin', binary);
    if (canExecute(path)) return path;
  } catch {
    // reported below
  }
  throw new LocalInfraError(
    LocalInfraErrorCode.ExecutableNotFound,
    `anvil binary not found: the npm package ${platformPackage} is not installed (run npm ci), or set ANVIL_BIN=/path/to/anvil`,
  );
}

/** Debian/Ubuntu install PostgreSQL outside PATH: /usr/lib/postgresql/<major>/bin, newest first. */
export function debianPostgresBinDirs(root = '/usr/lib/postgresql'): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'));
}

/** The directory holding `initdb`, `pg_ctl` and `postgres`: PATH first, then `extraDirs`. */
export function findPostgresBinDir(
  extraDirs: readonly string[] = debianPostgresBinDirs(),
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const initdb = findExecutable('initdb', extraDirs, env);
  if (!initdb) return undefined;
  const dir = dirname(initdb);
  return canExecute(join(dir, 'postgres')) && canExecute(join(dir, 'pg_ctl')) ? dir : undefined;
}

export interface DebianCluster {
  /** pg_ctlcluster's path. */
  readonly ctl: string;
  readonly version: string;
  readonly cluster: string;
}

/** Debian's own cluster (`/etc/postgresql/<version>/main`), if the machine has one. */
export function debianPostgresCluster(
  env: NodeJS.ProcessEnv = process.env,
  configRoot = '/etc/postgresql',
): DebianCluster | undefined {
  const ctl = findExecutable('pg_ctlcluster', SBIN_DIRS, env);
  if (!ctl || !existsSync(configRoot)) return undefined;
  const version = readdirSync(configRoot)
    .filter((v) => existsSync(join(configRoot, v, 'main')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return version ? { ctl, version, cluster: 'main' } : undefined;
}
