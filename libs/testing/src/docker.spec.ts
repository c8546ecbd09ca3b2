import { describe, expect, it } from 'vitest';

import { dockerEndpoints, dockerEngineAvailable } from './docker.js';
import { freePort } from './process.js';

describe('dockerEngineAvailable', () => {
  it('answers false quickly when nothing listens, and never probes when disabled', async () => {
    const port = await freePort();
    expect(await dockerEngineAvailable({ DOCKER_HOST: `tcp://127.0.0.1:${port}` }, 500)).toBe(
      false,
    );
    expect(
      await dockerEngineAvailable({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, 500),
    ).toBe(false);
    expect(
      await dockerEngineAvailable({ SEC_HEALTH_NO_DOCKER: '1', DOCKER_HOST: 'tcp://x:1' }),
    ).toBe(false);
  });

  it('reads DOCKER_HOST', () => {
    expect(
      dockerEndpoints({ DOCKER_HOST: 'tcp://docker.example:2376', DOCKER_TLS_VERIFY: '1' }),
    ).toEqual([{ kind: 'tcp', host: 'docker.example', port: 2376, tls: true }]);
    expect(dockerEndpoints({ DOCKER_HOST: 'unix:///run/docker.sock' })).toEqual([
      { kind: 'socket', path: '/run/docker.sock' },
    ]);
  });
});
