// `npm start`: starts the infrastructure that is missing (infra/up.mjs: PostgreSQL, this
// checkout's private NATS, anvil), builds the services, runs the authority's setup command
// (migrations, contracts, first admin and emergency-server keys; idempotent), starts every service
// and the gateway, each with its own environment and credentials, and prints where everything
// listens. Ctrl-C stops the services, then what infra:up started.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { infra } from '../infra/lib/local-infra.mjs';
import { NATS_DIR, NATS_HOST, NATS_PORT } from '../infra/lib/nats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const home = join(root, '.sec-health');
const gatewayUrl = `http://${process.env.GATEWAY_HOST ?? '127.0.0.1'}:${process.env.GATEWAY_PORT ?? '8080'}`;
const natsUrl = `nats://${NATS_HOST}:${NATS_PORT}`;
const credentialsDir = join(NATS_DIR, 'creds');
const READY_TIMEOUT_MS = 120_000;

/** The processes, in start order, and their environments: libs/local-infra/src/stack.ts. */
const SERVICES = infra.STACK_PROCESSES;
const isGateway = (service) => service.name === 'gateway';

function run(command, args, what, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
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

/** Its own environment and secrets only (libs/local-infra processEnvironment). */
function environmentOf(service, options) {
  const secrets = {
    natsUrl,
    seedFiles,
    gatewayKey: { file: signingKey.file, publicKey: signingKey.publicKey },
    databaseUrls,
  };
  return infra.processEnvironment(service, process.env, secrets, options);
}

run(process.execPath, ['infra/up.mjs'], 'starting the infrastructure');

// The gateway signs the actor assertions services verify: one Ed25519 key per checkout (its seed,
// base64url, 0600), so sessions survive a restart. It replaces the former shared HMAC secret.
const signingKey = infra.ensureEd25519SigningKey(join(home, 'gateway', 'signing-key'));
rmSync(join(home, 'gateway-jwt-secret'), { force: true });

const seedFiles = {};
for (const { name } of SERVICES) {
  seedFiles[name] = infra.seedFileOf(credentialsDir, name);
  if (!existsSync(seedFiles[name])) {
    console.error(
      `start: no NATS credentials for ${name} (${seedFiles[name]}): is ${name} in natsPrincipals() (libs/protocol)? npm run infra:up writes them for every principal`,
    );
    process.exit(1);
  }
}

const databaseUrls = {};
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
for (const service of SERVICES.filter((s) => s.database)) {
  const variable = `${infra.envPrefixOf(service.name)}DATABASE_URL`;
  try {
    databaseUrls[service.name] =
      process.env[variable] ??
      (await infra.ensureDatabase(adminUrl, infra.checkoutDatabaseName(root)));
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

for (const service of SERVICES.filter((s) => s.setup)) {
  console.log(
    `start: ${service.name} setup (migrations, contracts, first admin, emergency servers)...`,
  );
  const env = environmentOf(service, { withNats: false });
  run(process.execPath, [service.setup], `the ${service.name} setup command`, env);
}

const children = SERVICES.map((service) => {
  const { name, entry } = service;
  const child = spawn(process.execPath, [join(root, entry)], {
    cwd: root,
    env: environmentOf(service),
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

const databases = [...new Set(Object.values(databaseUrls))].map((url) =>
  new URL(url).pathname.slice(1),
);
console.log(`
Sec-Health is running.
  gateway   ${gatewayUrl}   (OpenAPI: ${gatewayUrl}/docs, health: ${gatewayUrl}/health)
  database  ${databases.join(', ')}
  services  ${SERVICES.filter((s) => !isGateway(s))
    .map((s) => s.name)
    .join(', ')}
  NATS      ${natsUrl} (private to this checkout; one NKey per process in ${credentialsDir})
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
