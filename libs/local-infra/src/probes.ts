import { connect as connectTcp } from 'node:net';

import { connect, type Authenticator } from '@nats-io/transport-node';
import pg from 'pg';

/** Resolves undefined when PostgreSQL at `url` answers `SELECT 1`, else the error it gave. */
export async function probePostgres(url: string, timeoutMs = 2_000): Promise<Error | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The INFO a NATS server greets every client with (the fields we read). */
export interface NatsServerInfo {
  readonly server_id: string;
  readonly server_name?: string;
  readonly version?: string;
  readonly auth_required?: boolean;
  readonly tls_required?: boolean;
  readonly jetstream?: boolean;
  readonly max_payload?: number;
}

/**
 * Reads the `INFO {...}` line a NATS server sends before any authentication or TLS, so it works on
 * every server; resolves undefined when nothing NATS-like answers on host:port.
 */
export function readNatsInfo(
  host: string,
  port: number,
  timeoutMs = 2_000,
): Promise<NatsServerInfo | undefined> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host, port });
    let buffer = '';
    const done = (value: NatsServerInfo | undefined): void => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.on('error', () => done(undefined));
    socket.on('close', () => done(undefined));
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const end = buffer.indexOf('\r\n');
      if (end < 0) {
        if (buffer.length > 65_536) done(undefined);
        return;
      }
      const line = buffer.slice(0, end);
      if (!line.startsWith('INFO ')) return done(undefined);
      try {
        const info = JSON.parse(line.slice(5)) as NatsServerInfo;
        done(typeof info.server_id === 'string' ? info : undefined);
      } catch {
        done(undefined);
      }
    });
  });
}

export interface ProbeNatsOptions {
  readonly timeoutMs?: number;
  /** For a server that requires authentication, e.g. nkeyAuthenticator(seed). */
  readonly authenticator?: Authenticator;
  /** For a server that requires TLS. */
  readonly tls?: {
    readonly caFile?: string;
    readonly certFile?: string;
    readonly keyFile?: string;
  };
}

/** Connects once as a client (no reconnect) and reports JetStream; throws if it cannot. */
export async function probeNats(
  url: string,
  options: ProbeNatsOptions = {},
): Promise<{ jetstream: boolean }> {
  const nc = await connect({
    servers: url,
    timeout: options.timeoutMs ?? 1_500,
    reconnect: false,
    maxReconnectAttempts: 0,
    name: 'sec-health-local-infra-probe',
    ...(options.authenticator ? { authenticator: options.authenticator } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
  });
  try {
    await nc.flush();
    return { jetstream: nc.info?.jetstream === true };
  } finally {
    await nc.close().catch(() => undefined);
  }
}

/** One JSON-RPC call with a timeout; throws on an HTTP or JSON-RPC error. */
export async function jsonRpc(
  url: string,
  method: string,
  params: readonly unknown[] = [],
  timeoutMs = 2_000,
): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${method}`);
  const body = (await response.json()) as { result?: unknown; error?: { message?: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message ?? 'JSON-RPC error'}`);
  return body.result;
}

/** The chain id from `eth_chainId`; throws when the node does not answer. */
export async function chainIdOf(url: string, timeoutMs = 2_000): Promise<number> {
  const result = await jsonRpc(url, 'eth_chainId', [], timeoutMs);
  if (typeof result !== 'string') throw new Error('eth_chainId returned no hex string');
  return Number(BigInt(result));
}

/** The chain id when a JSON-RPC node answers on `url`, else undefined. */
export async function probeChainId(url: string, timeoutMs = 2_000): Promise<number | undefined> {
  try {
    return await chainIdOf(url, timeoutMs);
  } catch {
    return undefined;
  }
}
