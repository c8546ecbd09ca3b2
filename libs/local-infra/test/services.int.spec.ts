import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { connect, nkeyAuthenticator } from '@nats-io/transport-node';
import { inboxPrefixOf, natsPrincipals } from '@sec-health/protocol';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  ANVIL_CHAIN_ID,
  createDevCertificates,
  findPostgresBinDir,
  freePort,
  isRunningAs,
  jsonRpc,
  makeTempDir,
  prepareNatsServer,
  probeChainId,
  probePostgres,
  readNatsInfo,
  readPidFile,
  reloadNatsServer,
  startAnvil,
  startAnvilDaemon,
  startNatsServerDaemon,
  startPostgresProcess,
  stopPid,
  waitUntil,
  type DevCertificates,
} from '../src/index.js';

const mode = (path: string): number => statSync(path).mode & 0o777;

let dir: { path: string; remove(): Promise<void> };
let certificates: DevCertificates;
beforeAll(async () => {
  dir = await makeTempDir('sec-health-services-');
  certificates = await createDevCertificates(join(dir.path, 'tls'));
});
afterAll(async () => dir?.remove());

describe('PostgreSQL as a child', () => {
  it('starts with TLS on: a client that asks for TLS gets it, one that does not, does not', async () => {
    const binDir = findPostgresBinDir();
    expect(binDir, 'initdb/postgres are installed on this machine kind').toBeDefined();
    const postgres = await startPostgresProcess({
      binDir: binDir!,
      tls: { certFile: certificates.certFile, keyFile: certificates.keyFile },
    });
    try {
      expect(await probePostgres(postgres.adminUrl)).toBeUndefined();
      const usesTls = async (ssl: pg.ClientConfig['ssl']): Promise<boolean> => {
        const client = new pg.Client({ connectionString: postgres.adminUrl, ssl });
        await client.connect();
        try {
          const { rows } = await client.query<{ ssl: boolean }>(
            'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
          );
          return rows[0]!.ssl;
        } finally {
          await client.end();
        }
      };
      expect(await usesTls({ ca: readFileSync(certificates.caFile, 'utf8') })).toBe(true);
      expect(await usesTls(false)).toBe(false);
    } finally {
      await postgres.stop();
    }
    expect(postgres.process.hasExited()).toBe(true);
  }, 90_000);
});

describe('anvil', () => {
  it('as a child: answers eth_chainId until stopped', async () => {
    const port = await freePort();
    const anvil = await startAnvil({ port, silent: true });
    const url = `http://127.0.0.1:${port}`;
    expect(await probeChainId(url)).toBe(ANVIL_CHAIN_ID);
    await anvil.stop();
    expect(await probeChainId(url, 500)).toBeUndefined();
  });

  it('as a daemon: its log (which lists funded keys) and its state file are 0600', async () => {
    const port = await freePort();
    const logFile = join(dir.path, 'anvil.log');
    const stateFile = join(dir.path, 'anvil-state.json');
    const daemon = await startAnvilDaemon({ port, logFile, stateFile, stateIntervalSeconds: 1 });
    try {
      expect(daemon.chainId).toBe(ANVIL_CHAIN_ID);
      expect(await jsonRpc(`http://127.0.0.1:${port}`, 'eth_blockNumber')).toBe('0x0');
      expect(readFileSync(logFile, 'utf8')).toContain('Private Keys');
      expect(mode(logFile)).toBe(0o600);
      await waitUntil(async () => (existsSync(stateFile) ? true : undefined), {
        timeoutMs: 10_000,
        what: 'the anvil state file',
      });
      expect(mode(stateFile)).toBe(0o600);
    } finally {
      await stopPid(daemon.pid, 'anvil');
    }
    expect(isRunningAs(daemon.pid, 'anvil')).toBe(false);
  });
});

describe('nats-server as a daemon', () => {
  it('runs from the generated config, reloads it on SIGHUP, and stops by PID', async () => {
    const port = await freePort();
    const natsDir = join(dir.path, 'nats');
    const gateway = natsPrincipals().find((p) => p.name === 'gateway')!;
    const first = prepareNatsServer({
      dir: natsDir,
      host: '127.0.0.1',
      port,
      principals: [gateway],
    });
    const pidFile = join(natsDir, 'nats-server.pid');
    const daemon = await startNatsServerDaemon({
      configFile: first.configFile,
      serverName: first.serverName,
      port,
      pidFile,
      logFile: join(natsDir, 'nats-server.log'),
    });
    const connectAs = (name: string, seed: string) =>
      connect({
        servers: first.url,
        authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)),
        inboxPrefix: inboxPrefixOf(name),
        reconnect: false,
        timeout: 5_000,
      });
    try {
      expect(readPidFile(pidFile)).toBe(daemon.pid);
      expect(daemon.info.auth_required).toBe(true);
      await (await connectAs('gateway', first.credentials.gateway!.seed)).close();

      // A principal added to the table gets in after the config is rewritten and reloaded.
      const second = prepareNatsServer({ dir: natsDir, host: '127.0.0.1', port });
      const authoritySeed = second.credentials.authority!.seed;
      expect(second.credentials.gateway).toEqual(first.credentials.gateway);
      expect(await connectAs('authority', authoritySeed).catch((e: unknown) => e)).toBeInstanceOf(
        Error,
      );
      reloadNatsServer(daemon.pid);
      const authority = await waitUntil(
        () => connectAs('authority', authoritySeed).catch(() => undefined),
        { timeoutMs: 10_000, what: 'the reloaded config' },
      );
      await authority.close();
    } finally {
      await stopPid(daemon.pid, 'nats-server');
    }
    expect(await readNatsInfo('127.0.0.1', port, 500)).toBeUndefined();
  });
});
