import { randomBytes } from 'node:crypto';

import { startProcess, type ManagedProcess } from './child-process.js';
import { startDetached, stopPid, type DetachedProcess } from './detached.js';
import { LocalInfraError, LocalInfraErrorCode } from './errors.js';
import { requireNatsServer } from './executables.js';
import { readNatsInfo, type NatsServerInfo } from './probes.js';
import { waitUntil, type WatchedProcess } from './wait.js';

export interface NatsServerLaunch {
  /** nats-server executable; default NATS_SERVER_BIN, PATH, then the sbin directories. */
  readonly binary?: string;
  /** `-c <configFile>` (see prepareNatsServer); the config's listen address must be host:port. */
  readonly configFile?: string;
  /**
   * The config's `server_name` (PreparedNatsServer.serverName): readiness is then this server's
   * INFO, not a stranger's that took the port first.
   */
  readonly serverName?: string;
  /**
   * Without a config file: an open server (no authentication) with JetStream in this directory.
   * For tests that need a plain NATS only; the system runs with a config file.
   */
  readonly storeDir?: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  readonly port: number;
  /** Bound on the server answering. Default 15 s. */
  readonly timeoutMs?: number;
}

/** The arguments, and the server name to expect in INFO (undefined: any). */
function launchArgs(launch: NatsServerLaunch): { args: string[]; serverName: string | undefined } {
  const host = launch.host ?? '127.0.0.1';
  // The name stays in the config, not on the command line: nats-server refuses to reload a
  // config whose server_name differs from a -n flag.
  if (launch.configFile) return { args: ['-c', launch.configFile], serverName: launch.serverName };
  if (launch.storeDir === undefined) {
    throw new LocalInfraError(
      LocalInfraErrorCode.InvalidArgument,
      'nats-server needs a configFile (or, for an open test server, a storeDir)',
    );
  }
  const serverName = `sec-health-${randomBytes(6).toString('hex')}`;
  const args = ['-a', host, '-p', String(launch.port), '-js', '-sd', launch.storeDir];
  return { args: [...args, '-n', serverName], serverName };
}

async function untilReady(
  launch: NatsServerLaunch,
  serverName: string | undefined,
  process: WatchedProcess,
): Promise<NatsServerInfo> {
  const host = launch.host ?? '127.0.0.1';
  return waitUntil(
    async () => {
      const info = await readNatsInfo(host, launch.port, 500);
      return info && (serverName === undefined || info.server_name === serverName)
        ? info
        : undefined;
    },
    {
      timeoutMs: launch.timeoutMs ?? 15_000,
      what: `nats-server on ${host}:${launch.port}`,
      process,
    },
  );
}

export interface StartedNatsServer {
  readonly url: string;
  readonly info: NatsServerInfo;
  readonly process: ManagedProcess;
  /** Stops the server; resolves once it is gone. Idempotent. */
  stop(): Promise<void>;
}

/** nats-server as a child of this process (tests); killed when this process exits. */
export async function startNatsServer(launch: NatsServerLaunch): Promise<StartedNatsServer> {
  const binary = launch.binary ?? requireNatsServer();
  const { args, serverName } = launchArgs(launch);
  const proc = await startProcess(binary, args, { name: 'nats-server' });
  let info: NatsServerInfo;
  try {
    info = await untilReady(launch, serverName, proc);
  } catch (error) {
    await proc.stop().catch(() => undefined);
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    url: `nats://${launch.host ?? '127.0.0.1'}:${launch.port}`,
    info,
    process: proc,
    stop() {
      stopping ??= proc.stop();
      return stopping;
    },
  };
}

export interface NatsServerDaemonLaunch extends NatsServerLaunch {
  readonly configFile: string;
  readonly logFile: string;
  readonly pidFile: string;
}

/** nats-server detached (infra:up): it keeps running until stopNatsServerDaemon. */
export async function startNatsServerDaemon(
  launch: NatsServerDaemonLaunch,
): Promise<DetachedProcess & { readonly binary: string; readonly info: NatsServerInfo }> {
  const binary = launch.binary ?? requireNatsServer();
  const { args, serverName } = launchArgs(launch);
  const daemon = await startDetached(binary, args, {
    name: 'nats-server',
    logFile: launch.logFile,
    pidFile: launch.pidFile,
  });
  try {
    const info = await untilReady(launch, serverName, daemon);
    return { ...daemon, binary, info };
  } catch (error) {
    await stopPid(daemon.pid, 'nats-server').catch(() => undefined);
    throw error;
  }
}

/** Makes a running nats-server read its config file again (SIGHUP): new principals, new keys. */
export function reloadNatsServer(pid: number): void {
  process.kill(pid, 'SIGHUP');
}
