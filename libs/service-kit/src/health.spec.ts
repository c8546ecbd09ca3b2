import { describe, expect, it } from 'vitest';

import { checkHealth, standardHealthChecks } from './health.js';

describe('checkHealth', () => {
  it('reports each dependency and bounds slow ones', async () => {
    const health = await checkHealth(
      'svc',
      {
        postgres: async () => 1,
        chain: () => new Promise(() => undefined),
        nats: async () => {
          throw new Error('connect to postgres://user:pw@host failed');
        },
      },
      50,
    );
    expect(health.status).toBe('degraded');
    expect(health.dependencies.postgres).toEqual({ status: 'up' });
    expect(health.dependencies.chain?.status).toBe('down');
    expect(health.dependencies.nats?.detail).not.toContain('pw');
  });
});

describe('standardHealthChecks', () => {
  it('checks PostgreSQL with SELECT 1 and the chain with eth_blockNumber', async () => {
    const calls: string[] = [];
    const health = await checkHealth(
      'svc',
      standardHealthChecks({
        postgres: { query: async (sql) => calls.push(sql) },
        chain: { send: async (method) => calls.push(method) },
      }),
    );
    expect(health.status).toBe('up');
    expect(Object.keys(health.dependencies).sort()).toEqual(['chain', 'nats', 'postgres']);
    expect(calls.sort()).toEqual(['SELECT 1', 'eth_blockNumber']);
  });
});
