import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/**
 * A configured path as the service means it: absolute as given, relative from the repository
 * root (the folder whose package.json declares the workspaces), so `npm start -w services/x`,
 * which runs with the service folder as cwd, finds the same files as `npm start`.
 */
export function fromRepoRoot(path: string, cwd = process.cwd()): string {
  if (isAbsolute(path)) return path;
  return resolve(repoRoot(cwd) ?? cwd, path);
}

function repoRoot(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown }).workspaces) {
          return dir;
        }
      } catch {
        // not a readable manifest: keep looking upwards
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}
