import { describe, expect, it } from 'vitest';

import { createServiceDataSource, serviceDataSourceOptions } from './data-source.js';
import { isPersistenceError, PersistenceErrorCode } from './errors.js';
import { SnakeNamingStrategy } from './naming-strategy.js';

const base = { entities: [], migrations: [] };

describe('serviceDataSourceOptions', () => {
  it('never synchronizes, keeps migrations in the schema and names in snake_case', () => {
    const options = serviceDataSourceOptions({
      ...base,
      url: 'postgres://u:p@db:5432/app',
      schema: 'storage',
    }) as unknown as Record<string, unknown>;
    expect(options).toMatchObject({
      type: 'postgres',
      schema: 'storage',
      synchronize: false,
      migrationsRun: false,
      migrationsTableName: 'migrations',
      applicationName: 'sec-health-storage',
    });
    expect(options.namingStrategy).toBeInstanceOf(SnakeNamingStrategy);
    expect((options.extra as { options: string }).options).toBe('-c search_path=storage,public');
  });

  it('rejects bad schema names and bad URLs with typed errors that never quote the password', () => {
    for (const schema of ['Storage', 'a-b', 'pg_x', '', 'x; DROP']) {
      expect(() =>
        serviceDataSourceOptions({ ...base, url: 'postgres://localhost/x', schema }),
      ).toThrow(expect.objectContaining({ code: PersistenceErrorCode.InvalidConfig }));
    }
    for (const url of [
      'not a url hunter2',
      'mysql://u:hunter2@h/db',
      'postgres://u:hunter2@[bad/db',
    ]) {
      let caught: unknown;
      try {
        createServiceDataSource({ ...base, url, schema: 'svc' });
      } catch (error) {
        caught = error;
      }
      expect(isPersistenceError(caught, PersistenceErrorCode.InvalidConfig)).toBe(true);
      expect((caught as Error).message).toMatch(/^url: /);
      expect((caught as Error).message).not.toContain('hunter2');
    }
  });
});
