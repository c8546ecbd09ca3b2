import { provideChain, type TestChain } from '@sec-health/testing';
import type { JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { assertChain, createProvider, isChainUnavailable } from '../src/index.js';

let chain: TestChain;
let provider: JsonRpcProvider;

beforeAll(async () => {
  chain = await provideChain();
  provider = createProvider({
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    requestTimeoutMs: 500,
  });
}, 60_000);

afterAll(async () => {
  provider?.destroy();
  await chain?.stop();
});

describe('isChainUnavailable on what a real chain does', () => {
  it('is false for an answer and for a refusal by the node, true for a frozen node', async () => {
    expect(await provider.getBlockNumber()).toBeGreaterThanOrEqual(0);
    const refused: unknown = await provider
      .send('eth_sendRawTransaction', ['0x00'])
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(isChainUnavailable(refused)).toBe(false);

    await chain.pause();
    try {
      const frozen = await provider.getBlockNumber().catch((e: unknown) => e);
      expect(isChainUnavailable(frozen)).toBe(true);
      const typed = await assertChain(provider, chain.chainId).catch((e: unknown) => e);
      expect(isChainUnavailable(typed)).toBe(true);
    } finally {
      await chain.resume();
    }
  });

  it('is true for a node that is gone (connection refused)', async () => {
    await chain.stop();
    const gone = await provider.getBlockNumber().catch((e: unknown) => e);
    expect(isChainUnavailable(gone)).toBe(true);
  });
});
