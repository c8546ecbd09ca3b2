// `npm start`: starts the infrastructure that is missing (infra/up.mjs), then every
// service under services/ that has a start script. Ctrl-C stops the services it started.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error || result.status !== 0) {
    console.error(`start: \`${command} ${args.join(' ')}\` failed; fix the error above and retry`);
    process.exit(1);
  }
}

function servicesWithStartScript() {
  const dir = join(root, 'services');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(dir, entry.name, 'package.json'))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')))
    .filter((pkg) => typeof pkg.scripts?.start === 'string')
    .map((pkg) => pkg.name);
}

run(process.execPath, ['infra/up.mjs']);

const services = servicesWithStartScript();
if (services.length === 0) {
  console.log(
    'start: the infrastructure is up; there are no services to run yet (see README, "What works today").',
  );
  process.exit(0);
}

run('npx', ['--no-install', 'nx', 'run-many', '-t', 'build', '--outputStyle=static']);
const children = services.map((name) =>
  spawn('npm', ['run', 'start', '--workspace', name], { cwd: root, stdio: 'inherit' }),
);
const stop = () => children.forEach((child) => child.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
