import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { ensureStateDir, which } from './paths.mjs';
import { probeNats, waitFor } from './probes.mjs';
import { run, stopPid } from './run.mjs';

const HOST = '127.0.0.1';
const PORT = 4222;

function serverArgs(storeDir, logFile) {
  return ['-a', HOST, '-p', String(PORT), '-js', '-sd', storeDir, '-l', logFile];
}

export const nats = {
  name: 'nats',
  address: `${HOST}:${PORT}`,

  async running() {
    const info = await probeNats(HOST, PORT);
    if (info && info.jetstream !== true) {
      console.warn(`nats      ${this.address}  answers WITHOUT JetStream: restart it with -js`);
    }
    return info !== undefined;
  },

  async start() {
    const server = which('nats-server');
    const daemon = which('start-stop-daemon');
    if (!server) {
      throw new Error(
        'nats-server not found in PATH or /usr/sbin: install it (https://github.com/nats-io/nats-server/releases), or point NATS_URL at a server, or use docker compose up',
      );
    }
    const pidFile = join(ensureStateDir(), 'nats-server.pid');
    const how = daemon && existsSync('/var/lib/nats-server') ? 'start-stop-daemon' : 'spawn';
    if (how === 'start-stop-daemon') {
      // The machine's own service, started the way its init script would.
      run(daemon, [
        ...['--start', '--oknodo', '--background', '--make-pidfile', '--pidfile', pidFile],
        ...['--exec', server, '--'],
        ...serverArgs('/var/lib/nats-server', '/var/log/nats-server.log'),
      ]);
    } else {
      const dir = join(ensureStateDir(), 'nats');
      mkdirSync(dir, { recursive: true });
      const args = [...serverArgs(dir, join(dir, 'nats-server.log')), '-P', pidFile];
      spawn(server, args, { detached: true, stdio: 'ignore' }).unref();
    }
    if (!(await waitFor(() => probeNats(HOST, PORT), 15_000))) {
      throw new Error(`${server} started but nothing answers on ${this.address} within 15 s`);
    }
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return { how, pid, pidFile, server };
  },

  async stop(record) {
    const daemon = which('start-stop-daemon');
    if (record.how === 'start-stop-daemon' && daemon) {
      run(daemon, [
        ...['--stop', '--oknodo', '--pidfile', record.pidFile, '--exec', record.server],
        ...['--retry', 'TERM/10/KILL/5'],
      ]);
    } else {
      await stopPid(record.pid, 'nats-server');
    }
    rmSync(record.pidFile, { force: true });
  },
};
