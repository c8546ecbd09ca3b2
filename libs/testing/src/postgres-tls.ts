/** Anything with `query(sql)`: a pg.Client or PoolClient, a TypeORM DataSource or QueryRunner. */
export interface SqlQueryable {
  query(sql: string): Promise<unknown>;
}

/** Rows from either driver shape: pg's `{ rows }` or TypeORM's plain array. */
function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  const rows = (result as { rows?: unknown } | undefined)?.rows;
  return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
}

/**
 * Whether the connection `db` runs its queries on uses TLS, as the server sees it
 * (pg_stat_ssl of this backend). With a pool, that is whichever connection ran the query.
 */
export async function connectionUsesTls(db: SqlQueryable): Promise<boolean> {
  const rows = rowsOf(await db.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'));
  return rows[0]?.ssl === true;
}

/** Whether the server accepts TLS at all (`SHOW ssl`). */
export async function serverAcceptsTls(db: SqlQueryable): Promise<boolean> {
  return rowsOf(await db.query('SHOW ssl'))[0]?.ssl === 'on';
}
