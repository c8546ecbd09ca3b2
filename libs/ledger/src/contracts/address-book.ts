import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { contractNames, type ContractName } from '@sec-health/contracts';
import { getAddress, isAddress } from 'ethers';

import { LedgerError, LedgerErrorCode } from '../errors.js';

/** Where the ledger contracts of one chain live, and from which block to read their events. */
export interface ChainDeployment {
  readonly chainId: number;
  readonly deployedAtBlock: number;
  readonly admin: string;
  readonly contracts: Readonly<Record<ContractName, string>>;
}

type Book = Record<string, ChainDeployment>;

/**
 * The address book: one JSON file, keyed by chain id, that every service reads to find the
 * contracts (`LEDGER_ADDRESS_BOOK`, by default `.sec-health/contracts.json` in the working tree).
 * The authority writes it when it deploys; writes are atomic (temporary file + rename).
 */
export async function readDeployment(
  path: string,
  chainId: number,
): Promise<ChainDeployment | undefined> {
  const book = await readBook(path);
  const entry = book[String(chainId)];
  return entry === undefined ? undefined : validateDeployment(entry, path, chainId);
}

export async function writeDeployment(path: string, deployment: ChainDeployment): Promise<void> {
  const book = await readBook(path);
  book[String(deployment.chainId)] = deployment;
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(book, null, 2)}\n`);
  await rename(temporary, path);
}

/**
 * Runs `fn` holding an exclusive lock file beside the address book, so two processes starting at
 * once do not both deploy. A lock older than `staleMs` is from a crashed process and is broken.
 */
export async function withAddressBookLock<T>(
  path: string,
  fn: () => Promise<T>,
  { timeoutMs = 60_000, staleMs = 120_000 } = {},
): Promise<T> {
  const lock = `${path}.lock`;
  await mkdir(dirname(path), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await isStale(lock, staleMs)) {
        await rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new LedgerError(
          LedgerErrorCode.InvalidConfig,
          `the address book ${path} is locked by another process (${lock}); remove the lock file if no deployment is running`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}

async function isStale(lock: string, staleMs: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(lock)).mtimeMs > staleMs;
  } catch {
    return true;
  }
}

async function readBook(path: string): Promise<Book> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new LedgerError(
      LedgerErrorCode.InvalidConfig,
      `cannot read the address book ${path}: ${(error as Error).message}`,
    );
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
    return parsed as Book;
  } catch {
    throw new LedgerError(
      LedgerErrorCode.InvalidConfig,
      `the address book ${path} is not a JSON object; delete it to deploy again`,
    );
  }
}

function validateDeployment(entry: unknown, path: string, chainId: number): ChainDeployment {
  const bad = (what: string): LedgerError =>
    new LedgerError(
      LedgerErrorCode.InvalidConfig,
      `the address book ${path} has a bad entry for chain ${chainId}: ${what}`,
    );
  const e = entry as Partial<ChainDeployment>;
  if (e.chainId !== chainId) throw bad('chainId does not match its key');
  if (!Number.isSafeInteger(e.deployedAtBlock) || (e.deployedAtBlock as number) < 0) {
    throw bad('deployedAtBlock is not a block number');
  }
  if (typeof e.admin !== 'string' || !isAddress(e.admin)) throw bad('admin is not an address');
  const contracts = {} as Record<ContractName, string>;
  for (const name of contractNames) {
    const address = e.contracts?.[name];
    if (typeof address !== 'string' || !isAddress(address)) throw bad(`${name} is not an address`);
    contracts[name] = getAddress(address);
  }
  return { chainId, deployedAtBlock: e.deployedAtBlock as number, admin: e.admin, contracts };
}
