import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { infra } from './local-infra.mjs';
import { STATE_DIR } from './paths.mjs';

export const NATS_HOST = '127.0.0.1';
export const NATS_PORT = natsPort(process.env.SECHEALTH_NATS_PORT);
/** Config, credentials (creds/<principal>.nk), JetStream store, pid file and log; 0700. */
export const NATS_DIR = join(STATE_DIR, 'nats');
const PID_FILE = join(NATS_DIR, 'nats-server.pid');

function natsPort(raw) {
  if (raw === undefined || raw === '') return 4322;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    console.error(`SECHEALTH_NATS_PORT=${raw} is not a TCP port (1-65535)`);
    process.exit(1);
  }
  return port;
}

/**
 * Credentials kept (generated once per checkout), config regenerated from natsPrincipals() on
 * every start, so a service added to the table gets its permissions.
 */
export function prepareNats() {
  return infra.prepareNatsServer({ dir: NATS_DIR, host: NATS_HOST, port: NATS_PORT });
}

/** The PID of the nats-server infra:up started for this checkout, if it still runs. */
function ourPid() {
  const pid = infra.readPidFile(PID_FILE);
  return pid !== undefined && infra.isRunningAs(pid, 'nats-server') ? pid : undefined;
}

/**
 * This checkout's private NATS: NKey per principal, subject permissions, no anonymous access
 * (the machine's shared NATS on 4222 has none of that and is not used).
 */
export const nats = {
  name: 'nats',
  address: `${NATS_HOST}:${NATS_PORT}`,

  async running() {
    return (await infra.readNatsInfo(NATS_HOST, NATS_PORT)) !== undefined;
  },

  /** Ours (pid file): reload it with a fresh config. Someone else's: only if it authenticates. */
  async whenRunning(record) {
    const pid = ourPid();
    if (pid !== undefined) {
      const prepared = prepareNats();
      infra.reloadNatsServer(pid);
      return {
        record: record ?? { how: 'spawn', pid, pidFile: PID_FILE, port: NATS_PORT },
        note: `config regenerated and reloaded (${prepared.configFile})`,
      };
    }
    const info = await infra.readNatsInfo(NATS_HOST, NATS_PORT);
    if (info?.auth_required !== true) {
      throw new Error(
        `something answers on ${this.address} without authentication: it is not this checkout's NATS. Stop it, or set SECHEALTH_NATS_PORT to a free port`,
      );
    }
    return {
      record: null,
      note: `it requires authentication (docker compose?) and must know the keys in ${join(NATS_DIR, 'creds')}`,
    };
  },

  async start() {
    const prepared = prepareNats();
    const daemon = await infra.startNatsServerDaemon({
      configFile: prepared.configFile,
      serverName: prepared.serverName,
      host: NATS_HOST,
      port: NATS_PORT,
      pidFile: PID_FILE,
      logFile: join(NATS_DIR, 'nats-server.log'),
    });
    return {
      how: 'spawn',
      pid: daemon.pid,
      pidFile: PID_FILE,
      port: NATS_PORT,
      server: daemon.binary,
    };
  },

  async stop(record) {
    await infra.stopPid(record.pid, 'nats-server');
    if (record.pidFile) rmSync(record.pidFile, { force: true });
  },
};
