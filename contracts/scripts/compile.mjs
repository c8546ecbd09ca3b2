#!/usr/bin/env node
// Compiles contracts/src/*.sol with solc-js (standard JSON), writes dist/artifacts/<Name>.json
// (abi + bytecode) and generates the typechain ethers-v6 bindings into src/generated/typechain.
// Exits non-zero with the compiler's messages on any compile error.
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const solc = require('solc');
const { runTypeChain, DEFAULT_FLAGS } = require('typechain');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'src');
const artifactsDir = join(root, 'dist', 'artifacts');
const generatedDir = join(root, 'src', 'generated');
const typesDir = join(generatedDir, 'typechain');

/**
 * EVM target. "paris" (the Merge) emits no PUSH0/MCOPY/transient-storage opcodes, so the bytecode
 * runs on any Besu QBFT network whose genesis enables London or later (Shanghai and Cancun need
 * explicit time-based milestones there) and on anvil's default hardfork.
 */
export const EVM_VERSION = 'paris';
/** The solc-js release the sources are pinned to (the pragmas say the same). */
export const SOLC_VERSION = '0.8.37';
export const OPTIMIZER_RUNS = 200;

/** Resolves `@scope/pkg/path.sol` (or `pkg/path.sol`) imports from node_modules. */
function findImport(path) {
  const parts = path.split('/');
  const pkgLength = path.startsWith('@') ? 2 : 1;
  if (parts.length <= pkgLength || parts.includes('..')) {
    return { error: `import not found: ${path}` };
  }
  const pkg = parts.slice(0, pkgLength).join('/');
  try {
    const pkgDir = dirname(require.resolve(`${pkg}/package.json`, { paths: [root] }));
    return { contents: readFileSync(join(pkgDir, ...parts.slice(pkgLength)), 'utf8') };
  } catch {
    return { error: `import not found: ${path} (is ${pkg} installed?)` };
  }
}

async function compile() {
  if (!solc.version().startsWith(`${SOLC_VERSION}+`)) {
    throw new Error(
      `solc ${solc.version()} is installed; the contracts are pinned to ${SOLC_VERSION}`,
    );
  }
  const files = (await readdir(srcDir)).filter((f) => f.endsWith('.sol')).sort();
  if (files.length === 0) throw new Error(`no .sol files in ${srcDir}`);
  const sources = {};
  for (const file of files) {
    sources[`src/${file}`] = { content: await readFile(join(srcDir, file), 'utf8') };
  }
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      optimizer: { enabled: true, runs: OPTIMIZER_RUNS },
      evmVersion: EVM_VERSION,
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  const diagnostics = output.errors ?? [];
  for (const d of diagnostics.filter((e) => e.severity !== 'error')) {
    process.stderr.write(d.formattedMessage ?? `${d.severity}: ${d.message}\n`);
  }
  const errors = diagnostics.filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    for (const e of errors) process.stderr.write(e.formattedMessage ?? `error: ${e.message}\n`);
    throw new Error(`solc ${solc.version()}: ${errors.length} error(s)`);
  }
  const artifacts = [];
  for (const file of files) {
    for (const [contractName, out] of Object.entries(output.contracts?.[`src/${file}`] ?? {})) {
      const bytecode = out.evm?.bytecode?.object ?? '';
      if (bytecode === '') continue; // abstract contracts and interfaces
      artifacts.push({
        contractName,
        sourceName: `src/${file}`,
        compiler: {
          version: solc.version(),
          evmVersion: EVM_VERSION,
          optimizerRuns: OPTIMIZER_RUNS,
        },
        abi: out.abi,
        bytecode: `0x${bytecode}`,
      });
    }
  }
  return artifacts;
}

/**
 * Replaces `target` with the finished `fresh` directory by two renames, so a lint or typecheck
 * running at the same time never finds the generated files missing or half written.
 */
async function swapIn(fresh, target, staging) {
  const old = join(staging, `old-${basename(target)}`);
  await mkdir(dirname(target), { recursive: true });
  await rename(target, old).catch((err) => {
    if (err.code !== 'ENOENT') throw err;
  });
  await rename(fresh, target);
}

async function main() {
  const artifacts = await compile();
  const staging = join(root, 'dist', `.compile-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  try {
    const stagedArtifacts = join(staging, 'artifacts');
    const stagedGenerated = join(staging, 'generated');
    await mkdir(stagedArtifacts, { recursive: true });
    const paths = [];
    for (const artifact of artifacts) {
      const path = join(stagedArtifacts, `${artifact.contractName}.json`);
      await writeFile(path, `${JSON.stringify(artifact, null, 2)}\n`);
      paths.push(path);
    }
    const { filesGenerated } = await runTypeChain({
      cwd: root,
      filesToProcess: paths,
      allFiles: paths,
      outDir: join(stagedGenerated, relative(generatedDir, typesDir)),
      target: 'ethers-v6',
      flags: { ...DEFAULT_FLAGS, node16Modules: true },
    });
    await swapIn(stagedArtifacts, artifactsDir, staging);
    await swapIn(stagedGenerated, generatedDir, staging);
    console.log(
      `compiled ${artifacts.map((a) => a.contractName).join(', ')} with solc ${solc.version()} ` +
        `(evm ${EVM_VERSION}); ${filesGenerated} typechain files in ${relative(root, typesDir)}`,
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
