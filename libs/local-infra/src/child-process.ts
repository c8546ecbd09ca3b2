import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { LocalInfraError, LocalInfraErrorCode } from './errors.js';
import { spawned } from './spawned.js';
import type { WatchedProcess } from './wait.js';

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A child process started by startProcess; killed when this process exits. */
export interface ManagedProcess extends WatchedProcess {
  readonly pid: number;
  /** Resolves when the process has exited and been reaped (its PID is gone). */
  readonly exited: Promise<ExitInfo>;
  hasExited(): boolean;
  /** Sends a signal (no-op once exited). */
  signal(signal: NodeJS.Signals): void;
  /** SIGCONT + `signal` (default SIGTERM), then SIGKILL after `graceMs`; resolves once gone. */
  stop(options?: { graceMs?: number; signal?: NodeJS.Signals }): Promise<void>;
}

export interface StartProcessOptions {
  /** Used in messages, e.g. `anvil`. */
  readonly name: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Run as this user and group (this process must be root), e.g. PostgreSQL's. */
  readonly uid?: number;
  readonly gid?: number;
}

const OUTPUT_LIMIT = 8 * 1024;
const SETPRIV = '/usr/bin/setpriv';
const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let hooksInstalled = false;

/** Kills every live child and removes temp dirs, synchronously (from `exit` and signal handlers). */
function killAllChildren(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
  tempDirs.clear();
}

function onTerminatingSignal(signal: NodeJS.Signals): void {
  killAllChildren();
  // If nobody else handles this signal, restore the default behaviour (terminate).
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onTerminatingSignal);
    process.kill(process.pid, signal);
  }
}

/**
 * Children die with this process: an `exit` hook and SIGINT/SIGTERM/SIGHUP hooks kill them, and on
 * Linux each child also gets a parent-death signal (setpriv --pdeathsig SIGKILL), which covers a
 * test runner killed with SIGKILL.
 */
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, onTerminatingSignal);
  }
}

/** Child stdio pipes are net.Sockets; unref them so they do not keep this process alive. */
function unrefStream(stream: unknown): void {
  const socket = stream as { unref?: () => void } | null;
  socket?.unref?.();
}

/** True while a process with this PID exists (a zombie counts until reaped). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A new temp directory `<tmpdir>/<prefix>XXXXXX` (mode 0700), removed by the returned function or,
 * at the latest, when this process exits.
 */
export async function makeTempDir(
  prefix: string,
): Promise<{ path: string; remove(): Promise<void> }> {
  installExitHooks();
  const path = await mkdtemp(join(tmpdir(), prefix));
  tempDirs.add(path);
  return {
    path,
    async remove() {
      tempDirs.delete(path);
      await rm(path, { recursive: true, force: true });
    },
  };
}

/** A TCP port that was free on `host` a moment ago. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/**
 * Starts `command` with `args` as a child, stdout/stderr captured. The child does not keep this
 * process alive and is killed when it exits. Rejects with LOCAL_INFRA_PROCESS_START_FAILED if it
 * cannot be spawned.
 */
export async function startProcess(
  command: string,
  args: readonly string[],
  options: StartProcessOptions,
): Promise<ManagedProcess> {
  installExitHooks();
  const usePdeathsig = process.platform === 'linux' && existsSync(SETPRIV);
  const [file, argv] = usePdeathsig
    ? [SETPRIV, ['--pdeathsig', 'SIGKILL', '--', command, ...args]]
    : [command, [...args]];
  // uid/gid are applied before setpriv runs: a credential change would clear the pdeathsig.
  const child = spawn(file, argv, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
  });

  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      live.delete(child);
      resolve(exitInfo);
    });
  });

  await spawned(child, options.name, command);
  const pid = child.pid;
  if (pid === undefined) {
    throw new LocalInfraError(LocalInfraErrorCode.ProcessStartFailed, `${options.name}: no PID`);
  }
  live.add(child);
  child.unref();
  unrefStream(child.stdout);
  unrefStream(child.stderr);

  const waitExit = async (ms: number): Promise<boolean> => {
    if (exitInfo) return true;
    const controller = new AbortController();
    const result = await Promise.race([
      exited.then(() => true),
      sleep(ms, false, { signal: controller.signal }).catch(() => false),
    ]);
    controller.abort();
    return result;
  };

  const managed: ManagedProcess = {
    name: options.name,
    pid,
    exited,
    hasExited: () => exitInfo !== undefined,
    exitSummary: () =>
      exitInfo && `code ${String(exitInfo.code)}, signal ${String(exitInfo.signal)}`,
    output: () => output,
    signal(signal) {
      if (exitInfo) return;
      try {
        child.kill(signal);
      } catch {
        // raced with exit
      }
    },
    async stop({ graceMs = 5_000, signal = 'SIGTERM' } = {}) {
      if (exitInfo) return;
      managed.signal('SIGCONT');
      managed.signal(signal);
      if (await waitExit(graceMs)) return;
      managed.signal('SIGKILL');
      if (await waitExit(5_000)) return;
      throw new LocalInfraError(
        LocalInfraErrorCode.ProcessStopFailed,
        `${options.name} (pid ${pid}) is still running after SIGTERM and SIGKILL`,
      );
    },
  };
  return managed;
}
