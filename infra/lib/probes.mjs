import { connect } from 'node:net';

import pg from 'pg';

/** Resolves undefined when PostgreSQL answers `SELECT 1`, else the error message. */
export async function probePostgres(url, timeoutMs = 2_000) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || String(error.code) : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** NATS greets every client with `INFO {...}`: resolves that JSON, or undefined if nothing answers. */
export function probeNats(host, port, timeoutMs = 2_000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let buffer = '';
    const done = (value) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.on('error', () => done(undefined));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const line = buffer.split('\r\n')[0];
      if (buffer.includes('\r\n') && line?.startsWith('INFO ')) {
        try {
          done(JSON.parse(line.slice(5)));
        } catch {
          done(undefined);
        }
      }
    });
  });
}

/** Resolves the chain id when a JSON-RPC node answers on `url`, else undefined. */
export async function probeRpc(url, timeoutMs = 2_000) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.json();
    return typeof body.result === 'string' ? Number(BigInt(body.result)) : undefined;
  } catch {
    return undefined;
  }
}

/** Polls `probe` until it returns something other than undefined, or gives up. */
export async function waitFor(probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    await new Promise((r) => setTimeout(r, 200));
  }
}
