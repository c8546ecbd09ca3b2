import { provideDatabase, type TestDatabase } from '@sec-health/testing';
import pg from 'pg';
import type { DataSource } from 'typeorm';

import { createServiceDataSource, type ServiceDataSourceConfig } from '../src/data-source.js';
import { outboxMigrations } from '../src/outbox/outbox.migration.js';
import { OutboxEntry } from '../src/outbox/outbox.entity.js';

/** A fresh database per suite; every data source opened through it is destroyed by `close()`. */
export async function databaseFixture(): Promise<{
  db: TestDatabase;
  dataSource(schema: string, extra?: Partial<ServiceDataSourceConfig>): DataSource;
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}> {
  const db = await provideDatabase();
  const opened: DataSource[] = [];
  return {
    db,
    dataSource(schema, extra = {}) {
      const ds = createServiceDataSource({
        url: db.url,
        schema,
        entities: [OutboxEntry],
        migrations: [...outboxMigrations],
        ...extra,
      });
      opened.push(ds);
      return ds;
    },
    async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        return (await client.query<T>(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
    async close() {
      await Promise.all(opened.filter((ds) => ds.isInitialized).map((ds) => ds.destroy()));
      await db.drop();
    },
  };
}

/** Collects notifications on one channel; `sync()` makes sure delivered ones have been seen. */
export async function listen(url: string, channel: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const received: string[] = [];
  client.on('notification', (n) => received.push(n.channel));
  await client.query(`LISTEN "${channel}"`);
  return {
    received,
    // A round trip: notifications committed before it are delivered before its result.
    sync: () => client.query('SELECT 1'),
    close: () => client.end(),
  };
}
