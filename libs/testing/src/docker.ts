import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

type Endpoint =
  | { readonly kind: 'socket'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly tls: boolean };

/** Where a Docker engine may listen: DOCKER_HOST, else the usual socket paths. */
export function dockerEndpoints(env: NodeJS.ProcessEnv = process.env): Endpoint[] {
  const dockerHost = env.DOCKER_HOST;
  if (dockerHost) {
    if (dockerHost.startsWith('unix://')) {
      return [{ kind: 'socket', path: dockerHost.slice('unix://'.length) }];
    }
    if (dockerHost.startsWith('tcp://')) {
      try {
        const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
        const tls = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '';
        return [{ kind: 'tcp', host: url.hostname, port: Number(url.port || 2375), tls }];
      } catch {
        return [];
      }
    }
    return [];
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const candidates = [
    '/var/run/docker.sock',
    env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'docker.sock') : undefined,
    uid !== undefined ? `/run/user/${uid}/docker.sock` : undefined,
    join(homedir(), '.docker', 'run', 'docker.sock'),
    join(homedir(), '.docker', 'desktop', 'docker.sock'),
  ];
  return [...new Set(candidates.filter((p): p is string => p !== undefined && existsSync(p)))].map(
    (path) => ({ kind: 'socket', path }),
  );
}

function ping(endpoint: Endpoint, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (endpoint.kind === 'tcp' && endpoint.tls) {
      // A TLS engine needs client certificates to talk to; an open port is the best quick sign.
      const socket = connect({ host: endpoint.host, port: endpoint.port });
      socket.setTimeout(timeoutMs, () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      return;
    }
    const req = request(
      endpoint.kind === 'socket'
        ? { socketPath: endpoint.path, path: '/_ping', timeout: timeoutMs }
        : { host: endpoint.host, port: endpoint.port, path: '/_ping', timeout: timeoutMs },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.once('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.once('error', () => resolve(false));
    req.end();
  });
}

let cached: Promise<boolean> | undefined;

/**
 * Whether a Docker engine answers `/_ping` within `timeoutMs` (default 1.5 s). It never loads
 * testcontainers; the answer is cached per process when using process.env. SEC_HEALTH_NO_DOCKER=1
 * answers false without probing.
 */
export function dockerEngineAvailable(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 1_500,
): Promise<boolean> {
  if (env.SEC_HEALTH_NO_DOCKER === '1' || env.SEC_HEALTH_NO_DOCKER === 'true') {
    return Promise.resolve(false);
  }
  const probe = async (): Promise<boolean> => {
    for (const endpoint of dockerEndpoints(env)) {
      if (await ping(endpoint, timeoutMs)) return true;
    }
    return false;
  };
  if (env !== process.env) return probe();
  cached ??= probe();
  return cached;
}
