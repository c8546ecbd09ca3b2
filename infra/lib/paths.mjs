import { accessSync, constants, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Gitignored: state files, logs and data of what infra:up started. */
export const STATE_DIR = join(ROOT, '.sec-health');

export function ensureStateDir() {
  mkdirSync(STATE_DIR, { recursive: true });
  return STATE_DIR;
}

/** Absolute path of an executable from PATH, then the usual sbin directories. */
export function which(name, extraDirs = ['/usr/sbin', '/sbin', '/usr/local/sbin']) {
  if (name.includes('/')) return canExecute(name) ? name : undefined;
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  return dirs.map((d) => join(d, name)).find(canExecute);
}

function canExecute(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The anvil binary of the npm platform package that @foundry-rs/anvil depends on. */
export function anvilBinary() {
  if (process.env.ANVIL_BIN)
    return canExecute(process.env.ANVIL_BIN) ? process.env.ANVIL_BIN : undefined;
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  try {
    const fromRoot = createRequire(join(ROOT, 'package.json'));
    const wrapper = createRequire(fromRoot.resolve('@foundry-rs/anvil/package.json'));
    const path = join(dirname(wrapper.resolve(`${pkg}/package.json`)), 'bin', 'anvil');
    return canExecute(path) ? path : undefined;
  } catch {
    return undefined;
  }
}
