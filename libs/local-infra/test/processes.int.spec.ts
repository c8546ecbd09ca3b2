import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import {
  findExecutable,
  freePort,
  isLocalInfraError,
  isProcessAlive,
  isRunningAs,
  LocalInfraErrorCode,
  makeTempDir,
  readPidFile,
  runCommand,
  startDetached,
  startProcess,
  stopPid,
  waitUntil,
} from '../src/index.js';

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('startProcess', () => {
  it('stop() terminates the process and its PID is gone', async () => {
    const proc = await startProcess('sleep', ['60'], { name: 'sleep' });
    expect(isProcessAlive(proc.pid)).toBe(true);
    await proc.stop();
    expect(proc.hasExited()).toBe(true);
    expect(isProcessAlive(proc.pid)).toBe(false);
    await proc.stop();
  });

  it('stop() falls back to SIGKILL when SIGTERM is ignored, also while stopped', async () => {
    const proc = await startProcess('sh', ['-c', 'trap "" TERM; echo ready; exec sleep 60'], {
      name: 'stubborn',
    });
    await waitUntil(async () => (proc.output().includes('ready') ? true : undefined), {
      timeoutMs: 10_000,
      what: 'the TERM trap',
    });
    proc.signal('SIGSTOP');
    await proc.stop({ graceMs: 200 });
    expect((await proc.exited).signal).toBe('SIGKILL');
    expect(isProcessAlive(proc.pid)).toBe(false);
  });

  it('waitUntil reports an early exit with the output tail', async () => {
    const proc = await startProcess('sh', ['-c', 'echo boom >&2; exit 3'], { name: 'crasher' });
    const error = await waitUntil(async () => undefined, {
      timeoutMs: 10_000,
      what: 'crasher',
      process: proc,
    }).catch((e: unknown) => e);
    expect(isLocalInfraError(error, LocalInfraErrorCode.ProcessStartFailed)).toBe(true);
    expect((error as Error).message).toContain('code 3');
    expect((error as Error).message).toContain('boom');
  });

  it('waitUntil gives up after its timeout with the last error', async () => {
    const error = await waitUntil(
      async () => {
        throw new Error('not yet');
      },
      { timeoutMs: 100, what: 'never' },
    ).catch((e: unknown) => e);
    expect(isLocalInfraError(error, LocalInfraErrorCode.ProcessStartFailed)).toBe(true);
    expect((error as Error).message).toContain('not yet');
  });

  it('rejects with a typed error when the command does not exist', async () => {
    const proc = await startProcess('/nonexistent/binary', [], { name: 'missing' }).catch(
      (e: unknown) => e,
    );
    if (isLocalInfraError(proc)) {
      expect(proc.code).toBe(LocalInfraErrorCode.ProcessStartFailed);
    } else {
      // Under setpriv the spawn succeeds and the exec fails: the process exits at once.
      const info = await (proc as Awaited<ReturnType<typeof startProcess>>).exited;
      expect(info.code).not.toBe(0);
    }
  });

  it('findExecutable and freePort', async () => {
    expect(findExecutable('sh')).toMatch(/\/sh$/);
    expect(findExecutable('no-such-binary-here')).toBeUndefined();
    expect(await freePort()).toBeGreaterThan(0);
  });
});

describe('startDetached and stopPid', () => {
  let remove: (() => Promise<void>) | undefined;
  afterAll(async () => remove?.());

  it('runs a daemon with a 0600 pid file and log, umask 077, and stops it by PID', async () => {
    const dir = await makeTempDir('sec-health-detached-');
    remove = dir.remove;
    const logFile = join(dir.path, 'daemon.log');
    const pidFile = join(dir.path, 'daemon.pid');
    const created = join(dir.path, 'created-by-daemon');
    const daemon = await startDetached(
      'sh',
      ['-c', `echo started; echo data > ${created}; exec sleep 60`],
      { name: 'sleep', logFile, pidFile },
    );
    await waitUntil(async () => (daemon.output().includes('started') ? true : undefined), {
      timeoutMs: 10_000,
      what: 'the daemon',
      process: daemon,
    });
    await waitUntil(async () => (isRunningAs(daemon.pid, 'sleep') ? true : undefined), {
      timeoutMs: 10_000,
      what: 'exec sleep',
    });
    expect(readPidFile(pidFile)).toBe(daemon.pid);
    expect(mode(pidFile)).toBe(0o600);
    expect(mode(logFile)).toBe(0o600);
    expect(mode(created)).toBe(0o600);
    expect(readFileSync(logFile, 'utf8')).toContain('started');
    expect(isRunningAs(daemon.pid, 'not-this-program')).toBe(false);

    await stopPid(daemon.pid, 'sleep');
    expect(isRunningAs(daemon.pid, 'sleep')).toBe(false);
    await stopPid(daemon.pid, 'sleep');
  });

  it('runCommand returns stdout and names the command when it fails', () => {
    expect(runCommand('sh', ['-c', 'echo out'])).toBe('out\n');
    let error: unknown;
    try {
      runCommand('sh', ['-c', 'echo why >&2; exit 4']);
    } catch (caught) {
      error = caught;
    }
    expect(isLocalInfraError(error, LocalInfraErrorCode.CommandFailed)).toBe(true);
    expect((error as Error).message).toContain('exited with 4');
    expect((error as Error).message).toContain('why');
  });
});
