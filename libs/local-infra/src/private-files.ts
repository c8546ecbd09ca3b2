import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Creates `dir` (and its parents) if needed and makes it 0700: only its owner may enter it. */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

/**
 * Writes `content` to `path` with mode 0600, atomically (a temp file in the same directory, then a
 * rename), so no reader ever sees a partial file and no other user can read it at any moment.
 */
export function writePrivateFile(path: string, content: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' });
    chmodSync(tmp, 0o600); // the umask cannot have widened it, but a shared umask may differ
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** chmod 0600 when `path` exists (a log or state file created earlier with a wider mode). */
export function restrictToOwner(path: string): void {
  if (existsSync(path)) chmodSync(path, 0o600);
}
