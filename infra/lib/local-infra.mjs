// @sec-health/local-infra, loaded from its build. The infra scripts run before anything is built
// (.ci/run calls infra:up right after npm ci), so the build is made here when it is missing or
// older than the sources of local-infra or of a library it imports.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { ROOT } from './paths.mjs';

const ENTRY = 'dist/index.js';

/** local-infra's folder and those of the @sec-health libraries it imports, transitively. */
function libraryDirs(dir = join(ROOT, 'libs', 'local-infra'), seen = new Set()) {
  if (seen.has(dir)) return seen;
  seen.add(dir);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    if (!name.startsWith('@sec-health/')) continue;
    const link = join(ROOT, 'node_modules', name);
    if (existsSync(link)) libraryDirs(realpathSync(link), seen);
  }
  return seen;
}

function newestSource(dir) {
  let newest = statSync(join(dir, 'package.json')).mtimeMs;
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(dir, 'src'));
  return newest;
}

function isStale(dir) {
  const entry = join(dir, ENTRY);
  return !existsSync(entry) || statSync(entry).mtimeMs < newestSource(dir);
}

const dirs = [...libraryDirs()];
const stale = dirs.filter(isStale);
if (stale.length > 0) {
  const names = stale.map((d) => d.slice(ROOT.length + 1)).join(', ');
  console.log(
    `infra: building libs/local-infra, which the infra scripts run on (${names} not built or changed)...`,
  );
  const result = spawnSync(
    'npx',
    ['--no-install', 'nx', 'run', 'local-infra:build', '--outputStyle=static'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { NX_TUI: 'false', ...process.env },
    },
  );
  if (result.error || result.status !== 0) {
    console.error(
      `infra: building libs/local-infra failed${result.error ? ` (${result.error.message})` : ''}. Run npm ci if node_modules is missing, then \`npx nx run local-infra:build\` to see the error.`,
    );
    process.exit(1);
  }
  // Nx may restore an identical build from its cache without rewriting it: mark it current.
  const now = new Date();
  for (const dir of dirs) if (existsSync(join(dir, ENTRY))) utimesSync(join(dir, ENTRY), now, now);
}

/** The library's exports (see libs/local-infra/src/index.ts). */
export const infra = await import(pathToFileURL(join(ROOT, 'libs', 'local-infra', ENTRY)).href);
