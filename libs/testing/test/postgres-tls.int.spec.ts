import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  createDevCertificates,
  findPostgresBinDir,
  makeTempDir,
  startPostgresProcess,
} from '@sec-health/local-infra';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

import {
  connectionUsesTls,
  provideDatabase,
  serverAcceptsTls,
  type TestDatabase,
} from '../src/index.js';

async function withClient<T>(
  config: pg.ClientConfig,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('connectionUsesTls', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('tells a TLS connection from a plain one on a server with ssl = on', async () => {
    const dir = await makeTempDir('sec-health-pg-tls-');
    cleanups.push(dir.remove);
    const certificates = await createDevCertificates(join(dir.path, 'tls'));
    const postgres = await startPostgresProcess({
      binDir: findPostgresBinDir()!,
      tls: { certFile: certificates.certFile, keyFile: certificates.keyFile },
    });
    cleanups.push(postgres.stop);
    const ca = readFileSync(certificates.caFile, 'utf8');
    const url = postgres.adminUrl;

    await withClient({ connectionString: url, ssl: { ca } }, async (client) => {
      expect(await serverAcceptsTls(client)).toBe(true);
      expect(await connectionUsesTls(client)).toBe(true);
    });
    await withClient({ connectionString: url, ssl: false }, async (client) => {
      expect(await connectionUsesTls(client)).toBe(false);
    });
  }, 90_000);

  it('reads a plain-array result too (TypeORM DataSource.query)', async () => {
    const db: TestDatabase = await provideDatabase({ docker: false });
    cleanups.push(db.drop);
    await withClient({ connectionString: db.url }, async (client) => {
      const typeormLike = {
        query: async (sql: string): Promise<unknown[]> =>
          (await client.query<Record<string, unknown>>(sql)).rows,
      };
      const viaRows = await connectionUsesTls(client);
      expect(await connectionUsesTls(typeormLike)).toBe(viaRows);
      expect(await serverAcceptsTls(typeormLike)).toBe(await serverAcceptsTls(client));
    });
  });
});
