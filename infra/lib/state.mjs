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
