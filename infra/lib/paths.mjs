import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * Gitignored: state files, logs, data and credentials of this checkout. Left traversable (a
 * PostgreSQL cluster of our own lives below it, run as the postgres user); what holds secrets is
 * 0600 in 0700 folders (nats/, gateway/).
 */
export const STATE_DIR = join(ROOT, '.sec-health');

export function ensureStateDir() {
  mkdirSync(STATE_DIR, { recursive: true });
  return STATE_DIR;
}
