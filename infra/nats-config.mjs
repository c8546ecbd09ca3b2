// node infra/nats-config.mjs — writes what docker-compose.yml's `nats` service runs with:
// this checkout's NATS credentials (.sec-health/nats/creds/<principal>.nk, generated once, 0600)
// and a nats-server config for them (.sec-health/nats/docker/nats-server.conf: listen 0.0.0.0:4222
// inside the container, JetStream in /data). Run by the one-shot `nats-credentials` service;
// npm start and infra:up use the same credentials.
import { chownSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { infra } from './lib/local-infra.mjs';
import { NATS_DIR } from './lib/nats.mjs';
import { ROOT } from './lib/paths.mjs';

const DOCKER_DIR = join(NATS_DIR, 'docker');

/** In a container we run as root: hand what we wrote to the owner of the checkout. */
function chownToCheckoutOwner(path) {
  if (process.getuid?.() !== 0) return;
  const { uid, gid } = statSync(ROOT);
  if (uid === 0) return;
  chownSync(path, uid, gid);
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path)) chownToCheckoutOwner(join(path, entry));
  }
}

infra.ensurePrivateDir(DOCKER_DIR);
const prepared = infra.prepareNatsServer({
  dir: NATS_DIR,
  host: '0.0.0.0',
  port: 4222,
  configFile: join(DOCKER_DIR, 'nats-server.conf'),
  storeDir: '/data',
});
chownToCheckoutOwner(NATS_DIR);
console.log(
  `nats-config: ${prepared.configFile} for ${prepared.principals.map((p) => p.name).join(', ')}`,
);
console.log(`nats-config: credentials in ${prepared.credentialsDir}`);
