import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import { isProcessAlive } from './child-process.js';
import { LocalInfraError, LocalInfraErrorCode } from './errors.js';
import { spawned } from './spawned.js';
import { restrictToOwner, writePrivateFile } from './private-files.js';
import type { WatchedProcess } from './wait.js';

/** A daemon started by startDetached: it outlives this process and is found again by its PID. */
export interface DetachedProcess extends WatchedProcess {
  readonly pid: number;
  readonly logFile: string;
  readonly pidFile: string | undefined;
}

export interface StartDetachedOptions {
  /** Used in messages and to recognise the PID later (it must appear in the command line). */
  readonly name: string;
  /** stdout and stderr are appended here; the file is created (or narrowed to) mode 0600. */
  readonly logFile: string;
  /** Written (0600) with the PID once the process is spawned. */
  readonly pidFile?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /**
   * Start the process with umask 077, so every file it creates (state dumps, stores) is private to
   * its user. Default true.
   */
  readonly privateFiles?: boolean;
}

/** Sets umask 077 and returns the previous one; undefined where a worker thread cannot. */
function narrowUmask(): number | undefined {
  try {
    return process.umask(0o077);
  } catch {
    return undefined;
  }
}

/** The last `bytes` of a file, for error messages. */
function tail(path: string, bytes = 4_096): string {
  try {
    const size = statSync(path).size;
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buffer, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    return buffer.toString('utf8');
  } catch {
    return '';
  }
}

/**
 * Starts `command` detached from this process (its own session, stdio to `logFile`), so it keeps
 * running after infra:up exits. Resolves once it is spawned; check readiness with waitUntil.
 */
export async function startDetached(
  command: string,
  args: readonly string[],
  options: StartDetachedOptions,
): Promise<DetachedProcess> {
  const log = openSync(options.logFile, 'a', 0o600);
  restrictToOwner(options.logFile);
  // The umask is per process and inherited at spawn: narrow it for the spawn only.
  const previousUmask = options.privateFiles === false ? undefined : narrowUmask();
  let child;
  try {
    child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', log, log],
    });
  } finally {
    if (previousUmask !== undefined) process.umask(previousUmask);
    closeSync(log);
  }
  await spawned(child, options.name, command);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) {
    throw new LocalInfraError(LocalInfraErrorCode.ProcessStartFailed, `${options.name}: no PID`);
  }
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = `code ${String(code)}, signal ${String(signal)}`));
  if (options.pidFile) writePrivateFile(options.pidFile, `${pid}\n`);
  return {
    name: options.name,
    pid,
    logFile: options.logFile,
    pidFile: options.pidFile,
    exitSummary: () => exit ?? (isRunningAs(pid, options.name) ? undefined : 'gone'),
    output: () => tail(options.logFile),
  };
}

/**
 * True if `pid` runs and its command line contains `name`, which guards against a PID reused by
 * another program after ours exited. Without /proc the PID alone is trusted.
 */
export function isRunningAs(pid: number, name: string): boolean {
  if (!isProcessAlive(pid)) return false;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    // A zombie (exited, not yet reaped) has an empty command line.
    return cmdline.includes(name);
  } catch {
    return existsSync('/proc/self') ? false : true;
  }
}

/** The PID in a pid file, or undefined when the file is missing or holds no PID. */
export function readPidFile(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * SIGCONT + SIGTERM, then SIGKILL after `graceMs`, only if `pid` still runs `name`. Resolves once
 * the process is gone.
 */
export async function stopPid(pid: number, name: string, graceMs = 10_000): Promise<void> {
  if (!isRunningAs(pid, name)) return;
  const send = (signal: NodeJS.Signals): void => {
    try {
      process.kill(pid, signal);
    } catch {
      // exited in between
    }
  };
  send('SIGCONT');
  send('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isRunningAs(pid, name) && Date.now() < deadline) await sleep(100);
  if (!isRunningAs(pid, name)) return;
  send('SIGKILL');
  const killDeadline = Date.now() + 5_000;
  while (isRunningAs(pid, name) && Date.now() < killDeadline) await sleep(100);
  if (isRunningAs(pid, name)) {
    throw new LocalInfraError(
      LocalInfraErrorCode.ProcessStopFailed,
      `${name} (pid ${pid}) is still running after SIGTERM and SIGKILL`,
    );
  }
}
