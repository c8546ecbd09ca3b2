import { readFile, writeFile } from 'node:fs/promises';

import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  connectContracts,
  deployOrLocate,
  grantRole,
  isLedgerError,
  LedgerErrorCode,
  locateContracts,
} from '../src/index.js';
import { setupLedgerEnv, type LedgerEnv } from './ledger-env.js';

let env: LedgerEnv;

beforeAll(async () => {
  env = await setupLedgerEnv();
}, 120_000);

afterAll(async () => {
  await env?.close();
}, 60_000);

describe('deploy-or-locate', () => {
  it('records the deployment per chain id and finds the same contracts again', async () => {
    const book = JSON.parse(await readFile(env.addressBookPath, 'utf8')) as Record<string, unknown>;
    expect(book[String(env.chain.chainId)]).toEqual(env.deployment);

    const again = await deployOrLocate({
      provider: env.provider,
      chainId: env.chain.chainId,
      admin: env.admin,
      addressBookPath: env.addressBookPath,
    });
    expect(again).toEqual(env.deployment);
    const located = await locateContracts({
      provider: env.provider,
      chainId: env.chain.chainId,
      addressBookPath: env.addressBookPath,
    });
    expect(located).toEqual(env.deployment);
  });

  it('deploys once when several processes start at the same time', async () => {
    const path = `${env.addressBookPath}.concurrent.json`;
    const options = {
      provider: env.provider,
      chainId: env.chain.chainId,
      admin: env.admin,
      addressBookPath: path,
    };
    const results = await Promise.all([
      deployOrLocate(options),
      deployOrLocate(options),
      deployOrLocate(options),
    ]);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    expect(results[0].contracts.RecordRegistry).not.toBe(env.deployment.contracts.RecordRegistry);
  });

  it('fails with typed errors for an unknown chain entry, a reset chain or the wrong chain', async () => {
    const locate = (addressBookPath: string, chainId = env.chain.chainId) =>
      locateContracts({ provider: env.provider, chainId, addressBookPath }).catch(
        (e: unknown) => e,
      );

    expect(
      isLedgerError(
        await locate(`${env.addressBookPath}.missing.json`),
        LedgerErrorCode.ContractMissing,
      ),
    ).toBe(true);

    const reset = `${env.addressBookPath}.reset.json`;
    const moved = {
      ...env.deployment,
      contracts: { ...env.deployment.contracts, RecordRegistry: Wallet.createRandom().address },
    };
    await writeFile(reset, JSON.stringify({ [env.chain.chainId]: moved }));
    const error = await locate(reset);
    expect(isLedgerError(error, LedgerErrorCode.ContractMissing)).toBe(true);
    expect((error as Error).message).toMatch(/RecordRegistry/);
    const refused = await deployOrLocate({
      provider: env.provider,
      chainId: env.chain.chainId,
      admin: env.admin,
      addressBookPath: reset,
      onMissingCode: 'fail',
    }).catch((e: unknown) => e);
    expect(isLedgerError(refused, LedgerErrorCode.ContractMissing)).toBe(true);

    expect(isLedgerError(await locate(env.addressBookPath, 1), LedgerErrorCode.WrongChain)).toBe(
      true,
    );

    const corrupt = `${env.addressBookPath}.corrupt.json`;
    await writeFile(corrupt, '{not json');
    expect(isLedgerError(await locate(corrupt), LedgerErrorCode.InvalidConfig)).toBe(true);
  });

  it('grants a writer role idempotently, only on the contracts that have it', async () => {
    const account = Wallet.createRandom().address;
    await grantRole(env.deployment, env.admin, 'ANCHOR_ROLE', account);
    await grantRole(env.deployment, env.admin, 'ANCHOR_ROLE', account);
    const contracts = connectContracts(env.deployment, env.provider);
    const role = await contracts.RecordRegistry.ANCHOR_ROLE();
    expect(await contracts.RecordRegistry.hasRole(role, account)).toBe(true);
    expect(await contracts.ConsentLedger.hasRole(role, account)).toBe(false);
  });
});
