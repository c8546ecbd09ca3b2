import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ensureStateDir, STATE_DIR } from './paths.mjs';

/** What infra:up started, so infra:down stops only that: { [service]: record }. */
export const STATE_FILE = join(STATE_DIR, 'infra-state.json');

export function readState() {
  if (!existsSync(STATE_FILE)) return {};
  try {
    return JSON.parse(readFileSync(STATE_FILE, 'utf8'));
  } catch {
    throw new Error(`${STATE_FILE} is not valid JSON; check what runs, then delete the file`);
  }
}

export function writeState(state) {
  ensureStateDir();
  const tmp = `${STATE_FILE}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, STATE_FILE);
}

/** True if `pid` runs and its command line mentions `name` (guards against a reused PID). */
export function isRunning(pid, name) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error.code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(name);
  } catch {
    return true; // no /proc: trust the PID
  }
}
