// `npm run bench [-- <suite>...]`: builds the benchmark project (nx run e2e:build, which builds the
// libraries it uses first) and runs each suite's compiled file, test/dist/bench/<suite>.bench.js.
// Suites write their reports under reports/bench/. A figure below its target never fails the run;
// only a crash or a failed build does.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Known suites and what they measure. */
const SUITES = {
  crypto: 'AES-GCM envelopes, Ed25519, HPKE, Shamir vs openssl / bare node:crypto floors',
  ledger: 'outbox anchors/s and awaited anchor latency vs a raw signed-tx-to-receipt loop (anvil)',
};

const EXIT_USAGE = 2;

function usage() {
  const list = Object.entries(SUITES)
    .map(([name, what]) => `  ${name.padEnd(10)} ${what}`)
    .join('\n');
  return `Usage: npm run bench [-- <suite>...]\n\nRuns every suite when none is named. Suites:\n${list}`;
}

function fail(message, code) {
  console.error(`bench: ${message}\n\n${usage()}`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' } },
  });
} catch (error) {
  fail(error.message, EXIT_USAGE);
}
if (parsed.values.help) {
  console.log(usage());
  process.exit(0);
}

const known = Object.keys(SUITES);
const unknown = parsed.positionals.filter((name) => !known.includes(name));
if (unknown.length > 0) {
  fail(
    `unknown suite${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; known: ${known.join(', ')}`,
    EXIT_USAGE,
  );
}
const suites = parsed.positionals.length > 0 ? [...new Set(parsed.positionals)] : known;

console.log('bench: building the benchmarks (nx run e2e:build)...');
const build = spawnSync('npx', ['--no-install', 'nx', 'run', 'e2e:build', '--outputStyle=static'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, NX_TUI: 'false', FORCE_COLOR: '0' },
});
if (build.error || build.status !== 0) {
  if (build.stdout) process.stderr.write(build.stdout);
  if (build.stderr) process.stderr.write(build.stderr);
  console.error(`bench: the build failed${build.error ? `: ${build.error.message}` : ''}`);
  process.exit(1);
}

for (const suite of suites) {
  const file = join(root, 'test', 'dist', 'bench', `${suite}.bench.js`);
  if (!existsSync(file)) {
    console.error(`bench: ${file} is missing after the build`);
    process.exit(1);
  }
  console.log(`bench: running ${suite}`);
  const run = spawnSync(process.execPath, [file], { cwd: root, stdio: 'inherit' });
  if (run.error || run.status !== 0) {
    console.error(
      `bench: suite ${suite} ${run.signal ? `was killed by ${run.signal}` : `exited with ${run.status}`}`,
    );
    process.exit(1);
  }
}
