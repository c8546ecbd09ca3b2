// `npm start`: starts the infrastructure that is missing (infra/up.mjs), builds the services, runs
// the authority's setup command (migrations, contracts, first admin and emergency-server keys;
// idempotent), starts every service and the gateway, and prints where everything listens.
// Ctrl-C stops the services, then what infra:up started.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { checkoutDatabaseName, ensureDatabase } from '../infra/lib/database.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const gatewayUrl = `http://${process.env.GATEWAY_HOST ?? '127.0.0.1'}:${process.env.GATEWAY_PORT ?? '8080'}`;
const READY_TIMEOUT_MS = 120_000;

/** Started in this order; each is `node <entry>` in its folder with the environment passed on. */
const SERVICES = [
  { name: 'authority', entry: 'services/authority/dist/main.js' },
  { name: 'gateway', entry: 'services/gateway/dist/main.js' },
];

function run(command, args, what) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error || result.status !== 0) {
    console.error(`start: ${what} failed; fix the error above and run npm start again`);
    process.exit(1);
  }
}

function prefixLines(name, stream, target) {
  let pending = '';
  stream.on('data', (chunk) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) target.write(`[${name}] ${line}\n`);
  });
}

async function waitForGateway(children) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const dead = children.find((child) => child.process.exitCode !== null);
    if (dead) throw new Error(`${dead.name} exited (code ${dead.process.exitCode}) while starting`);
    try {
      const response = await fetch(`${gatewayUrl}/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      throw new Error(
        `the gateway at ${gatewayUrl} was not healthy within ${READY_TIMEOUT_MS / 1000} s`,
      );
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * The gateway's token key for this checkout, kept in .sec-health so that logins survive a restart
 * of `npm start` (the gateway alone would draw a new random key each time).
 */
function checkoutJwtSecret() {
  const file = join(root, '.sec-health', 'gateway-jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

run(process.execPath, ['infra/up.mjs'], 'starting the infrastructure');
process.env.GATEWAY_JWT_SECRET ??= checkoutJwtSecret();
if (!process.env.AUTHORITY_DATABASE_URL) {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  try {
    process.env.AUTHORITY_DATABASE_URL = await ensureDatabase(adminUrl, checkoutDatabaseName(root));
  } catch (error) {
    console.error(
      `start: cannot create this checkout's database on ${new URL(adminUrl).host}: ${error.message}`,
    );
    process.exit(1);
  }
}
console.log('start: building the services...');
run(
  'npx',
  [
    '--no-install',
    'nx',
    'run-many',
    '-t',
    'build',
    '-p',
    ...SERVICES.map((s) => s.name),
    'client',
    '--outputStyle=static',
  ],
  'the build',
);

console.log('start: setup (migrations, contracts, first authority admin, emergency servers)...');
run(process.execPath, ['services/authority/dist/setup.js'], 'the setup command');

const children = SERVICES.map(({ name, entry }) => {
  const child = spawn(process.execPath, [join(root, entry)], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixLines(name, child.stdout, process.stdout);
  prefixLines(name, child.stderr, process.stderr);
  return { name, process: child };
});

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  console.log('\nstart: stopping the services...');
  await Promise.all(
    children.map(
      ({ process: child }) =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', resolve);
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  spawnSync(process.execPath, ['infra/down.mjs'], { cwd: root, stdio: 'inherit' });
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  await waitForGateway(children);
} catch (error) {
  console.error(`start: ${error.message}`);
  await stop(1);
}

console.log(`
Sec-Health is running.
  gateway   ${gatewayUrl}   (OpenAPI: ${gatewayUrl}/docs, health: ${gatewayUrl}/health)
  database  ${new URL(process.env.AUTHORITY_DATABASE_URL).pathname.slice(1)} (this checkout's)
  services  ${SERVICES.filter((s) => s.name !== 'gateway')
    .map((s) => s.name)
    .join(', ')} on NATS ${process.env.NATS_URL ?? 'nats://127.0.0.1:4222'}
  CLI       npx sechealth --profile authority-admin login   (profiles in .sec-health/profiles)
Press Ctrl-C to stop.`);
for (const { name, process: child } of children) {
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`start: ${name} exited unexpectedly (code ${code}); stopping everything`);
      void stop(1);
    }
  });
}
