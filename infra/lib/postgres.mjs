import { join } from 'node:path';

import { infra } from './local-infra.mjs';
import { ensureStateDir } from './paths.mjs';

const HOST = '127.0.0.1';
const PORT = 5432;
const URL = `postgres://postgres@${HOST}:${PORT}/postgres`;

/** The machine's PostgreSQL (Debian's cluster), else a cluster of our own in .sec-health/postgres. */
export const postgres = {
  name: 'postgres',
  address: `${HOST}:${PORT}`,

  async running() {
    return (await infra.probePostgres(URL)) === undefined;
  },

  async start() {
    return infra.startPostgresDaemon({
      dir: join(ensureStateDir(), 'postgres'),
      host: HOST,
      port: PORT,
    });
  },

  async stop(record) {
    infra.stopPostgresDaemon(record);
  },
};
