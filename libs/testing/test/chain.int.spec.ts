import { JsonRpcProvider, Network, Wallet, parseEther } from 'ethers';
import { afterEach, describe, expect, it, vi } from 'vitest';

import {
  ANVIL_CHAIN_ID,
  freePort,
  isProcessAlive,
  isTestInfraError,
  jsonRpc,
  provideChain,
  TestInfraErrorCode,
  type TestChain,
} from '../src/index.js';

function providerFor(chain: TestChain): JsonRpcProvider {
  return new JsonRpcProvider(chain.rpcUrl, Network.from(chain.chainId), {
    staticNetwork: true,
    batchMaxCount: 1,
    pollingInterval: 20,
    cacheTimeout: -1,
  });
}

async function blockNumber(chain: TestChain): Promise<number> {
  return Number(BigInt((await jsonRpc(chain.rpcUrl, 'eth_blockNumber')) as string));
}

describe('provideChain', () => {
  const chains: TestChain[] = [];
  afterEach(async () => {
    vi.unstubAllEnvs();
    await Promise.all(chains.splice(0).map((c) => c.stop()));
  });

  it('starts anvil with its funded default accounts and mines transactions', async () => {
    const chain = await provideChain({ env: {} });
    chains.push(chain);
    expect(chain.source).toBe('anvil');
    expect(chain.chainId).toBe(ANVIL_CHAIN_ID);
    expect(chain.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const served = (await jsonRpc(chain.rpcUrl, 'eth_accounts')) as string[];
    expect(chain.accounts.map((a) => a.address.toLowerCase())).toEqual(
      served.map((a) => a.toLowerCase()),
    );

    const provider = providerFor(chain);
    try {
      const sender = new Wallet(chain.accounts[0]!.privateKey, provider);
      const tx = await sender.sendTransaction({ to: chain.accounts[1]!.address, value: 1n });
      const receipt = await tx.wait();
      expect(receipt?.status).toBe(1);
    } finally {
      provider.destroy();
    }
  });

  it('pause() freezes anvil until resume()', async () => {
    const chain = await provideChain({ env: {} });
    chains.push(chain);
    await chain.pause();
    await expect(jsonRpc(chain.rpcUrl, 'eth_chainId', [], 300)).rejects.toThrow();
    await chain.resume();
    expect(await jsonRpc(chain.rpcUrl, 'eth_chainId', [], 5_000)).toBe('0x7a69');
  });

  it('restart() keeps the chain: blocks, balances and the URL survive, the old process is gone', async () => {
    const chain = await provideChain({ env: {} });
    chains.push(chain);
    const target = Wallet.createRandom().address;
    const provider = providerFor(chain);
    try {
      const sender = new Wallet(chain.accounts[2]!.privateKey, provider);
      await (await sender.sendTransaction({ to: target, value: parseEther('1.5') })).wait();
    } finally {
      provider.destroy();
    }
    const before = await blockNumber(chain);
    const oldPid = chain.pid!;

    await chain.restart();

    expect(isProcessAlive(oldPid)).toBe(false);
    expect(chain.pid).not.toBe(oldPid);
    expect(await blockNumber(chain)).toBe(before);
    expect(await jsonRpc(chain.rpcUrl, 'eth_getBalance', [target, 'latest'])).toBe(
      `0x${parseEther('1.5').toString(16)}`,
    );
  });

  it('stop() kills anvil, even when paused, and leaves no process', async () => {
    const chain = await provideChain({ env: {} });
    const pid = chain.pid!;
    expect(isProcessAlive(pid)).toBe(true);
    await chain.pause();
    await chain.stop();
    await chain.stop();
    expect(isProcessAlive(pid)).toBe(false);
    expect(chain.pid).toBeUndefined();
    await expect(chain.pause()).rejects.toSatisfy((e) =>
      isTestInfraError(e, TestInfraErrorCode.Unsupported),
    );
  });

  it('uses CHAIN_RPC_URL from the environment; pause/restart are refused there', async () => {
    const anvil = await provideChain({ env: {} });
    chains.push(anvil);
    vi.stubEnv('CHAIN_RPC_URL', anvil.rpcUrl);
    const chain = await provideChain();
    expect(chain.source).toBe('env');
    expect(chain.rpcUrl).toBe(anvil.rpcUrl);
    expect(chain.chainId).toBe(ANVIL_CHAIN_ID);
    expect(chain.accounts).toEqual(anvil.accounts);
    await expect(chain.pause()).rejects.toSatisfy((e) =>
      isTestInfraError(e, TestInfraErrorCode.Unsupported),
    );
    await expect(chain.restart()).rejects.toSatisfy((e) =>
      isTestInfraError(e, TestInfraErrorCode.Unsupported),
    );
    await chain.stop();
    expect(isProcessAlive(anvil.pid!)).toBe(true);
  });

  it('fails clearly when CHAIN_RPC_URL does not answer', async () => {
    const port = await freePort();
    const error = await provideChain({
      env: { CHAIN_RPC_URL: `http://127.0.0.1:${port}` },
    }).catch((e: unknown) => e);
    expect(isTestInfraError(error, TestInfraErrorCode.ChainUnavailable)).toBe(true);
    expect((error as Error).message).toContain('CHAIN_RPC_URL');
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
  });

  it('fails clearly when the anvil binary cannot run', async () => {
    const error = await provideChain({ env: {}, anvilBinary: '/nonexistent/anvil' }).catch(
      (e: unknown) => e,
    );
    expect(isTestInfraError(error, TestInfraErrorCode.ChainUnavailable)).toBe(true);
    expect((error as Error).message).toContain('/nonexistent/anvil');
    expect((error as Error).message).toContain('CHAIN_RPC_URL');
  });
});
