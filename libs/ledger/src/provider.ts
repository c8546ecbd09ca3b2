import { FetchRequest, JsonRpcProvider, Network } from 'ethers';

import { describeCause, LedgerError, LedgerErrorCode } from './errors.js';

export interface ProviderOptions {
  readonly rpcUrl: string;
  readonly chainId: number;
  /** Per-request timeout: an endpoint that stops answering fails instead of hanging. */
  readonly requestTimeoutMs?: number;
  readonly pollingIntervalMs?: number;
}

/**
 * A JSON-RPC provider set up as NOTES.md says: explicit static network (no endless detection
 * retries that keep the process alive), no batching delay, short polling, a request timeout.
 * Call `destroy()` on shutdown.
 */
export function createProvider(options: ProviderOptions): JsonRpcProvider {
  let url: URL;
  try {
    url = new URL(options.rpcUrl);
  } catch {
    throw new LedgerError(
      LedgerErrorCode.InvalidConfig,
      `rpcUrl: not a URL: ${JSON.stringify(options.rpcUrl)}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LedgerError(
      LedgerErrorCode.InvalidConfig,
      `rpcUrl: expected http(s), got ${url.protocol}`,
    );
  }
  if (!Number.isSafeInteger(options.chainId) || options.chainId <= 0) {
    throw new LedgerError(
      LedgerErrorCode.InvalidConfig,
      `chainId: expected a positive integer, got ${options.chainId}`,
    );
  }
  const request = new FetchRequest(url.toString());
  request.timeout = options.requestTimeoutMs ?? 5_000;
  const provider = new JsonRpcProvider(request, Network.from(options.chainId), {
    staticNetwork: true,
    batchMaxCount: 1,
    pollingInterval: options.pollingIntervalMs ?? 100,
    cacheTimeout: -1,
  });
  return provider;
}

/** Fails with a typed error unless the endpoint answers, and for the configured chain. */
export async function assertChain(
  provider: JsonRpcProvider,
  expectedChainId: number,
): Promise<void> {
  let actual: bigint;
  try {
    actual = BigInt((await provider.send('eth_chainId', [])) as string);
  } catch (error) {
    throw unavailable('the chain RPC endpoint does not answer', error);
  }
  if (actual !== BigInt(expectedChainId)) {
    throw new LedgerError(
      LedgerErrorCode.WrongChain,
      `the RPC endpoint serves chain ${actual}, but chain ${expectedChainId} is configured`,
      { expected: expectedChainId, actual: Number(actual) },
    );
  }
}

export function unavailable(what: string, cause: unknown): LedgerError {
  return new LedgerError(
    LedgerErrorCode.Unavailable,
    `ledger unavailable: ${what} (${describeCause(cause)})`,
    {},
    { cause },
  );
}
