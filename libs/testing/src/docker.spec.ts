import { describe, expect, it } from 'vitest';

import { dockerEndpoints } from './docker.js';

describe('dockerEngineAvailable', () => {
  it('reads DOCKER_HOST', () => {
    expect(
      dockerEndpoints({ DOCKER_HOST: 'tcp://docker.example:2376', DOCKER_TLS_VERIFY: '1' }),
    ).toEqual([{ kind: 'tcp', host: 'docker.example', port: 2376, tls: true }]);
    expect(dockerEndpoints({ DOCKER_HOST: 'unix:///run/docker.sock' })).toEqual([
      { kind: 'socket', path: '/run/docker.sock' },
    ]);
  });
});
