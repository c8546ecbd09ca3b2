import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { isRunning } from './state.mjs';

/** Runs a command to completion; throws with its output when it fails. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000, ...options });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new Error(`${[command, ...args].join(' ')} exited with ${result.status}: ${output}`);
  }
  return result.stdout;
}

/** initdb/postgres refuse root: as root, run them as the `postgres` user ({} otherwise). */
export function postgresUser() {
  if (process.getuid?.() !== 0) return {};
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined) throw new Error('running as root and there is no postgres user');
  return { uid: Number(uid), gid: Number(gid) };
}

/** SIGTERM, then SIGKILL after `graceMs`; only if `pid` still runs `name`. Resolves once gone. */
export async function stopPid(pid, name, graceMs = 10_000) {
  if (!isRunning(pid, name)) return;
  process.kill(pid, 'SIGCONT');
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isRunning(pid, name) && Date.now() < deadline) await sleep(100);
  if (!isRunning(pid, name)) return;
  process.kill(pid, 'SIGKILL');
  while (isRunning(pid, name)) await sleep(100);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
