import { describe, expect, it } from 'vitest';

import { dockerEngineAvailable, freePort } from '../src/index.js';

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
});
