import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { JsonRpcProvider } from 'ethers';
import pg from 'pg';

/** One secret in every form it could be written in: raw bytes, hex, base64 and base64url. */
export interface Secret {
  readonly label: string;
  readonly bytes: Uint8Array;
}

export interface Finding {
  readonly secret: string;
  readonly where: string;
}

function forms(secret: Secret): { text: string[]; bytes: Buffer[] } {
  const b = Buffer.from(secret.bytes);
  return {
    text: [b.toString('hex'), b.toString('base64'), b.toString('base64url')],
    bytes: [b],
  };
}

function scanText(where: string, text: string, secrets: readonly Secret[], found: Finding[]) {
  const lower = text.toLowerCase();
  for (const secret of secrets) {
    const f = forms(secret);
    const textHit = f.text.some((form, i) =>
      i === 0 ? lower.includes(form) : text.includes(form),
    );
    const rawHit = f.bytes.some((raw) => raw.length >= 8 && text.includes(raw.toString('utf8')));
    if (textHit || rawHit) found.push({ secret: secret.label, where });
  }
}

function scanBytes(where: string, data: Buffer, secrets: readonly Secret[], found: Finding[]) {
  for (const secret of secrets) {
    const f = forms(secret);
    const hit =
      f.bytes.some((raw) => data.includes(raw)) ||
      f.text.some((form) => data.includes(Buffer.from(form)));
    if (hit) found.push({ secret: secret.label, where });
  }
}

/** Every row of every table of every schema of the database, as text. */
export async function scanDatabase(url: string, secrets: readonly Secret[]): Promise<Finding[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const found: Finding[] = [];
  try {
    const tables = await client.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    for (const { schema, name } of tables.rows) {
      const rows = await client.query<{ row: string }>(
        `SELECT t::text AS row FROM "${schema}"."${name}" t`,
      );
      for (const { row } of rows.rows) scanText(`${schema}.${name}`, row, secrets, found);
    }
    return found;
  } finally {
    await client.end();
  }
}

/** Every file under `dir` (a block store, a datastore), byte for byte. */
export async function scanFiles(dir: string, secrets: readonly Secret[]): Promise<Finding[]> {
  const found: Finding[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    scanBytes(path, await readFile(path), secrets, found);
  }
  return found;
}

export function scanLog(name: string, text: string, secrets: readonly Secret[]): Finding[] {
  const found: Finding[] = [];
  scanText(`log of ${name}`, text, secrets, found);
  return found;
}

/** Every event the chain holds (its topics and data), and every transaction's input. */
export async function scanChain(
  provider: JsonRpcProvider,
  secrets: readonly Secret[],
): Promise<Finding[]> {
  const found: Finding[] = [];
  const logs = await provider.getLogs({ fromBlock: 0, toBlock: 'latest' });
  for (const log of logs) {
    scanText(
      `event in block ${log.blockNumber}`,
      [...log.topics, log.data].join(''),
      secrets,
      found,
    );
  }
  const latest = await provider.getBlockNumber();
  for (let n = 0; n <= latest; n++) {
    const block = await provider.getBlock(n, true);
    for (const tx of block?.prefetchedTransactions ?? []) {
      scanText(`transaction ${tx.hash}`, tx.data, secrets, found);
    }
  }
  return found;
}
