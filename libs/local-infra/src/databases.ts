import { createHash } from 'node:crypto';

import pg from 'pg';

import { LocalInfraError, LocalInfraErrorCode } from './errors.js';

/**
 * The database `npm start` gives the services of this checkout: one per working tree, so two
 * clones on one machine never share participants while each keeps its own chain state file.
 */
export function checkoutDatabaseName(root: string): string {
  return `sechealth_${createHash('sha256').update(root).digest('hex').slice(0, 10)}`;
}

/**
 * Creates database `name` on the server of `adminUrl` unless it exists; returns its URL (the admin
 * URL with the database path replaced, so its credentials and parameters carry over).
 */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new LocalInfraError(
      LocalInfraErrorCode.InvalidArgument,
      `database name ${JSON.stringify(name)} must be lower-case letters, digits and _`,
    );
  }
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } catch (error) {
        // Another start created it at the same moment.
        if ((error as { code?: unknown }).code !== '42P04') throw error;
      }
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
