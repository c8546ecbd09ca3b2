import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

import { isProcessAlive, waitUntil } from '../src/index.js';

// startProcess itself is tested in libs/local-infra; here: what provideChain's children do when
// the test runner dies.
const libDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitestBin = join(libDir, '..', '..', 'node_modules', 'vitest', 'vitest.mjs');

/** Resolves true once `pid` is gone, false if it is still there after `timeoutMs`. */
async function gone(pid: number, timeoutMs = 10_000): Promise<boolean> {
  return waitUntil(async () => (isProcessAlive(pid) ? undefined : true), {
    timeoutMs,
    what: `pid ${pid} to exit`,
  }).catch(() => false);
}

describe('children die with the test runner', () => {
  const runners: ChildProcess[] = [];
  let dir: string | undefined;
  afterAll(async () => {
    for (const runner of runners) runner.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Runs test/fixtures/hold-anvil.fixture.ts in its own vitest and returns the PIDs it reports. */
  async function holdAnvil(
    mode: 'forget' | 'wait',
  ): Promise<{ runner: ChildProcess; worker: number; anvil: number; stateDir: string }> {
    dir ??= await mkdtemp(join(tmpdir(), 'sec-health-hold-'));
    const pidFile = join(dir, `${mode}-${Date.now()}.json`);
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_ENV'),
    );
    const runner = spawn(
      process.execPath,
      [vitestBin, 'run', '--root', libDir, '--config', 'test/fixtures/vitest.fixture.config.ts'],
      { cwd: libDir, env: { ...env, HOLD_PID_FILE: pidFile, HOLD_MODE: mode }, stdio: 'ignore' },
    );
    runners.push(runner);
    const pids = await waitUntil(
      async () =>
        existsSync(pidFile)
          ? (JSON.parse(readFileSync(pidFile, 'utf8')) as {
              worker: number;
              anvil: number;
              stateDir: string;
            })
          : undefined,
      { timeoutMs: 60_000, intervalMs: 100, what: 'the fixture to start anvil' },
    );
    expect(pids.stateDir).toMatch(/\/sec-health-anvil-[^/]+$/);
    return { runner, ...pids };
  }

  it('a test that forgets stop(): anvil is killed when the worker exits', async () => {
    const { runner, anvil, stateDir } = await holdAnvil('forget');
    await new Promise((resolve) =>
      runner.exitCode !== null ? resolve(null) : runner.once('exit', resolve),
    );
    expect(await gone(anvil)).toBe(true);
    expect(existsSync(stateDir)).toBe(false);
  }, 90_000);

  it('the worker gets SIGTERM: anvil is killed', async () => {
    const { worker, anvil, stateDir } = await holdAnvil('wait');
    process.kill(worker, 'SIGTERM');
    expect(await gone(anvil)).toBe(true);
    expect(await gone(worker)).toBe(true);
    expect(existsSync(stateDir)).toBe(false);
  }, 90_000);

  it('the worker is SIGKILLed: anvil dies with it (parent-death signal)', async () => {
    const { worker, anvil, stateDir } = await holdAnvil('wait');
    process.kill(worker, 'SIGKILL');
    expect(await gone(anvil)).toBe(true);
    await rm(stateDir, { recursive: true, force: true }); // nothing runs to remove it
  }, 90_000);
});
