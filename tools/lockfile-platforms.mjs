// Completes package-lock.json with the platform builds of native packages (e.g.
// @swc/core-darwin-arm64, @nx/nx-win32-x64-msvc) that npm leaves out, or writes without an
// integrity hash, when the registry it installs from does not serve them. Without the entries
// `npm ci` refuses the lockfile as out of sync; without `integrity` an install on that platform
// would not verify what it downloads. See docs/adr/0003-lockfile-platform-entries.md.
//
// Each missing or unverified entry is filled from the registry's own manifest for that exact
// version (`npm view <name>@<version> --json`: dist.integrity, dist.tarball, os, cpu, libc,
// license, engines, bin), so the entry is what npm itself would have written. Idempotent: entries
// that already carry an integrity hash are left alone. Run after any `npm install` that changed
// the lockfile:
//   node tools/lockfile-platforms.mjs
// Exit status 1 when the registry could not be asked about some entries: they are written from
// their names (os/cpu/libc, no integrity) so `npm ci` still accepts the lockfile, and listed.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'package-lock.json');
const PLATFORM_FIELDS = ['os', 'cpu', 'libc'];
const MANIFEST_FIELDS = [...PLATFORM_FIELDS, 'license', 'engines', 'bin'];
const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openbsd', 'sunos', 'aix'];
// Package-name spellings of process.arch values (anvil names its x64 builds "amd64").
const CPU = {
  arm64: 'arm64',
  x64: 'x64',
  amd64: 'x64',
  ia32: 'ia32',
  arm: 'arm',
  ppc64: 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  wasm32: 'wasm32',
};

const readLock = () => JSON.parse(readFileSync(file, 'utf8'));
const pick = (object, keys) =>
  Object.fromEntries(
    keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]]),
  );
const omit = (object, keys) =>
  Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
const nameOf = (path) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

/** Platform fields read from a package name, for when the registry cannot be asked. */
function platformFromName(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((part) => OS.includes(part));
  const cpu = parts.map((part) => CPU[part]).find(Boolean);
  if (!os || !cpu) return undefined;
  const libc = parts.includes('musl') ? ['musl'] : os === 'linux' ? ['glibc'] : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
}

/** Lockfile paths to fill: missing platform builds (hoisted) and entries without integrity. */
function plan(lock) {
  const wanted = new Map();
  for (const [path, entry] of Object.entries(lock.packages)) {
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
      const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
      const hoisted = `node_modules/${name}`;
      if (lock.packages[nested] || lock.packages[hoisted]) continue;
      if (!platformFromName(name)) continue;
      wanted.set(hoisted, { name, version, dev: entry.dev === true });
    }
    if (path.includes('node_modules/') && !entry.link && !entry.integrity) {
      wanted.set(path, { name: nameOf(path), version: entry.version, dev: entry.dev === true });
    }
  }
  return wanted;
}

const run = promisify(execFile);

/** The registry's manifest of one version, or undefined if the registry does not answer. */
async function manifestOf(name, version) {
  const fields = ['dist.integrity', 'dist.tarball', ...MANIFEST_FIELDS];
  try {
    const { stdout } = await run('npm', ['view', `${name}@${version}`, ...fields, '--json'], {
      timeout: 60_000,
    });
    const view = JSON.parse(stdout);
    return view['dist.integrity'] ? view : undefined;
  } catch {
    return undefined;
  }
}

/** Registry entries carry `resolved` only if npm is not configured to omit it. */
function writesResolved(lock) {
  return Object.entries(lock.packages).some(
    ([path, entry]) => path.includes('node_modules/') && !entry.link && entry.resolved,
  );
}

/** npm writes `bin` as an object of paths without a leading "./". */
function normalizeBin(name, bin) {
  const entries = typeof bin === 'string' ? [[name.split('/').pop(), bin]] : Object.entries(bin);
  return Object.fromEntries(entries.map(([command, path]) => [command, path.replace(/^\.\//, '')]));
}

const KEY_ORDER = [
  'version',
  'resolved',
  'integrity',
  'cpu',
  'dev',
  'libc',
  'license',
  'optional',
  'os',
];

/** The entry as npm writes it: the registry's manifest wins over fields guessed from a name. */
function entryFor(existing, want, manifest, withResolved) {
  const fields = manifest
    ? { ...omit(existing ?? {}, PLATFORM_FIELDS), ...pick(manifest, MANIFEST_FIELDS) }
    : { ...platformFromName(want.name), ...existing };
  if (fields.bin) fields.bin = normalizeBin(want.name, fields.bin);
  fields.version = want.version;
  fields.optional = existing ? existing.optional : true;
  if (want.dev) fields.dev = true;
  if (manifest) {
    fields.integrity = manifest['dist.integrity'];
    if (withResolved) fields.resolved = manifest['dist.tarball'];
  }
  const ordered = pick(fields, KEY_ORDER);
  return Object.assign(ordered, fields);
}

const wanted = plan(readLock());
const manifests = new Map();
for (const [path, want] of wanted) manifests.set(path, await manifestOf(want.name, want.version));

// Re-read: the registry queries take a while, and the lockfile is shared.
const lock = readLock();
const withResolved = writesResolved(lock);
const filled = [];
const unverified = [];
for (const [path, want] of wanted) {
  const existing = lock.packages[path];
  if (existing?.integrity || (existing && existing.version !== want.version)) continue;
  const manifest = manifests.get(path);
  lock.packages[path] = entryFor(existing, want, manifest, withResolved);
  (manifest ? filled : unverified).push(`${want.name}@${want.version}`);
}

lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => a.localeCompare(b, 'en')),
);
const text = `${JSON.stringify(lock, null, 2)}\n`;
if (text !== readFileSync(file, 'utf8')) writeFileSync(file, text);

if (filled.length === 0 && unverified.length === 0) {
  console.log('lockfile-platforms: every entry is present and has an integrity hash');
}
if (filled.length > 0) {
  console.log(`lockfile-platforms: filled ${filled.length} entries from the registry:`);
  for (const name of filled) console.log(`  ${name}`);
}
if (unverified.length > 0) {
  console.error(
    `lockfile-platforms: the registry did not answer for ${unverified.length} entries; they are written from their names, without integrity (npm ci accepts them, but an install on their platform cannot verify them). Run this again when \`npm view <name>@<version>\` works:`,
  );
  for (const name of unverified) console.error(`  ${name}`);
  process.exitCode = 1;
}
