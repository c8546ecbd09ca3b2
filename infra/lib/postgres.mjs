import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { ensureStateDir, which } from './paths.mjs';
import { probePostgres, waitFor } from './probes.mjs';
import { postgresUser, run } from './run.mjs';

const HOST = '127.0.0.1';
const PORT = 5432;
const URL = `postgres://postgres@${HOST}:${PORT}/postgres`;

/** Debian's cluster (`/etc/postgresql/<version>/main`), if the machine has one. */
function debianCluster() {
  const ctl = which('pg_ctlcluster');
  if (!ctl || !existsSync('/etc/postgresql')) return undefined;
  const version = readdirSync('/etc/postgresql').find((v) =>
    existsSync(join('/etc/postgresql', v, 'main')),
  );
  return version ? { ctl, version } : undefined;
}

function postgresBinDir() {
  const initdb = which('initdb', []);
  if (initdb) return initdb.slice(0, initdb.lastIndexOf('/'));
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const newest = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  return newest && existsSync(join(root, newest, 'bin', 'initdb'))
    ? join(root, newest, 'bin')
    : undefined;
}

/** A cluster of our own under .sec-health/postgres, started with pg_ctl. */
function startOwnCluster() {
  const bin = postgresBinDir();
  if (!bin) return undefined;
  const user = postgresUser();
  const dir = join(ensureStateDir(), 'postgres');
  const data = join(dir, 'data');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid);
  if (!existsSync(join(data, 'PG_VERSION'))) {
    run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8'], user);
  }
  const options = `-p ${PORT} -k ${dir} -c listen_addresses=${HOST}`;
  run(
    join(bin, 'pg_ctl'),
    ['-D', data, '-l', join(dir, 'postgres.log'), '-o', options, '-w', 'start'],
    user,
  );
  return { how: 'pg_ctl', pgCtl: join(bin, 'pg_ctl'), data };
}

export const postgres = {
  name: 'postgres',
  address: `${HOST}:${PORT}`,

  async running() {
    return (await probePostgres(URL)) === undefined;
  },

  async start() {
    const cluster = debianCluster();
    let record;
    if (cluster) {
      run(cluster.ctl, ['--skip-systemctl-redirect', cluster.version, 'main', 'start']);
      record = { how: 'pg_ctlcluster', version: cluster.version, cluster: 'main' };
    } else {
      record = startOwnCluster();
    }
    if (!record) {
      throw new Error(
        'no PostgreSQL to start: install it (apt-get install postgresql), or point DATABASE_URL at a server, or use docker compose up',
      );
    }
    if (!(await waitFor(async () => ((await this.running()) ? true : undefined), 30_000))) {
      throw new Error(`started (${record.how}) but nothing answers on ${this.address} within 30 s`);
    }
    return record;
  },

  async stop(record) {
    if (record.how === 'pg_ctlcluster') {
      const ctl = which('pg_ctlcluster') ?? 'pg_ctlcluster';
      run(ctl, ['--skip-systemctl-redirect', record.version, record.cluster, 'stop']);
    } else {
      run(record.pgCtl, ['-D', record.data, '-m', 'fast', '-w', 'stop'], postgresUser());
    }
  },
};
