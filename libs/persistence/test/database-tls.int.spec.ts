import {
  connectionUsesTls,
  providePrivatePostgres,
  type PrivatePostgres,
} from '@sec-health/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createServiceDataSource, initializeDataSource } from '../src/data-source.js';

// TLS to PostgreSQL is switched on by configuration alone: the service's database URL carries
// libpq's sslmode (and sslrootcert), or the environment sets PGSSLMODE. Checked against a private
// PostgreSQL that serves TLS with a throwaway CA.

let server: PrivatePostgres;

beforeAll(async () => {
  server = await providePrivatePostgres({ tls: true });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

async function usesTls(url: string): Promise<boolean> {
  const dataSource = createServiceDataSource({
    url,
    schema: 'tls_check',
    entities: [],
    migrations: [],
  });
  await initializeDataSource(dataSource);
  try {
    return await connectionUsesTls(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

describe('PostgreSQL over TLS, by configuration', () => {
  it('verifies the server against the given CA with sslmode=verify-full', async () => {
    const url = `${server.adminUrl}?sslmode=verify-full&sslrootcert=${encodeURIComponent(server.caFile!)}`;
    expect(await usesTls(url)).toBe(true);
  });

  it('refuses a server it cannot verify', async () => {
    const url = `${server.adminUrl.replace('127.0.0.1', 'localhost')}?sslmode=verify-full&sslrootcert=/nonexistent`;
    await expect(usesTls(url)).rejects.toThrow();
  });

  it('stays in plain text when nothing asks for TLS', async () => {
    expect(await usesTls(`${server.adminUrl}?sslmode=disable`)).toBe(false);
  });
});
