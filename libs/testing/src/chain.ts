import { existsSync } from 'node:fs';
import { join } from 'node:path';

import {
  ANVIL_CHAIN_ID,
  anvilBinaryPath,
  chainIdOf,
  freePort,
  makeTempDir,
  startAnvil,
  type ManagedProcess,
} from '@sec-health/local-infra';
import { HDNodeWallet, Mnemonic, Wallet } from 'ethers';

import { TestInfraError, TestInfraErrorCode, describeError, redactUrl } from './errors.js';

export interface TestAccount {
  readonly address: string;
  readonly privateKey: string;
}

export interface TestChain {
  readonly rpcUrl: string;
  readonly chainId: number;
  /** Funded accounts: anvil's defaults (or CHAIN_PRIVATE_KEYS for an external chain). */
  readonly accounts: readonly TestAccount[];
  /** CHAIN_RPC_URL, or an anvil started here. */
  readonly source: 'env' | 'anvil';
  /** PID of the current anvil process (changes on restart); undefined for env. */
  readonly pid: number | undefined;
  /** Freezes anvil (SIGSTOP): requests hang until resume(). */
  pause(): Promise<void>;
  /** Continues a paused anvil (SIGCONT). */
  resume(): Promise<void>;
  /** Stops anvil (state dumped) and starts it again on the same port with the same chain. */
  restart(): Promise<void>;
  /** Kills anvil and removes its state; resolves once the process is gone. Idempotent. */
  stop(): Promise<void>;
}

export interface ProvideChainOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Default 31337 (anvil's). */
  readonly chainId?: number;
  /** Interval mining in seconds; default automine (a block per transaction). */
  readonly blockTimeSeconds?: number;
  /** Bound on anvil answering after (re)start. Default 15 s. */
  readonly startTimeoutMs?: number;
  /** Path of the anvil binary. Default ANVIL_BIN, else the one from @foundry-rs/anvil. */
  readonly anvilBinary?: string;
}

/** anvil's default mnemonic; its accounts are public test keys, never use them elsewhere. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';
export { ANVIL_CHAIN_ID };
const ACCOUNT_COUNT = 10;

let defaultAccounts: readonly TestAccount[] | undefined;

/** The 10 accounts anvil funds by default (m/44'/60'/0'/0/i of ANVIL_MNEMONIC). */
export function anvilAccounts(): readonly TestAccount[] {
  if (!defaultAccounts) {
    const root = HDNodeWallet.fromSeed(Mnemonic.fromPhrase(ANVIL_MNEMONIC).computeSeed());
    defaultAccounts = Object.freeze(
      Array.from({ length: ACCOUNT_COUNT }, (_, i) => {
        const wallet = root.derivePath(`m/44'/60'/0'/0/${i}`);
        return Object.freeze({ address: wallet.address, privateKey: wallet.privateKey });
      }),
    );
  }
  return defaultAccounts;
}

function unsupported(what: string): Promise<never> {
  return Promise.reject(
    new TestInfraError(
      TestInfraErrorCode.Unsupported,
      `${what} needs an anvil started by provideChain(); CHAIN_RPC_URL points at an external chain`,
    ),
  );
}

function accountsFromEnv(env: NodeJS.ProcessEnv): readonly TestAccount[] {
  const keys = (env.CHAIN_PRIVATE_KEYS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (keys.length === 0) return anvilAccounts();
  return keys.map((privateKey) => {
    try {
      return { address: new Wallet(privateKey).address, privateKey };
    } catch {
      throw new TestInfraError(
        TestInfraErrorCode.ChainUnavailable,
        'CHAIN_PRIVATE_KEYS: each entry must be a 0x-prefixed 32-byte hex private key',
      );
    }
  });
}

async function fromEnv(url: string, env: NodeJS.ProcessEnv): Promise<TestChain> {
  let chainId: number;
  try {
    chainId = await chainIdOf(url, 3_000);
  } catch (error) {
    throw new TestInfraError(
      TestInfraErrorCode.ChainUnavailable,
      `CHAIN_RPC_URL is set (${redactUrl(url)}) but eth_chainId failed: ${describeError(error)}. Fix CHAIN_RPC_URL or unset it to start anvil.`,
      undefined,
      { cause: error },
    );
  }
  return {
    rpcUrl: url,
    chainId,
    accounts: accountsFromEnv(env),
    source: 'env',
    pid: undefined,
    pause: () => unsupported('pause()'),
    resume: () => unsupported('resume()'),
    restart: () => unsupported('restart()'),
    stop: () => Promise.resolve(),
  };
}

/**
 * A chain for one test suite: CHAIN_RPC_URL when set, else a fresh anvil (one process, free
 * port, `--silent`, state file in a temp dir so restart() keeps the chain). Killed by stop()
 * and when the test process exits.
 */
export async function provideChain(options: ProvideChainOptions = {}): Promise<TestChain> {
  const env = options.env ?? process.env;
  if (env.CHAIN_RPC_URL) return fromEnv(env.CHAIN_RPC_URL, env);

  let binary: string;
  try {
    binary = options.anvilBinary ?? anvilBinaryPath(env);
  } catch (error) {
    throw new TestInfraError(
      TestInfraErrorCode.ChainUnavailable,
      `${describeError(error)}; or set CHAIN_RPC_URL to use a running chain`,
      undefined,
      { cause: error },
    );
  }
  const chainId = options.chainId ?? ANVIL_CHAIN_ID;
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  const stateDir = await makeTempDir('sec-health-anvil-');
  const stateFile = join(stateDir.path, 'state.json');

  const launch = (port: number): Promise<ManagedProcess> =>
    startAnvil({
      binary,
      port,
      chainId,
      stateFile,
      silent: true,
      timeoutMs: startTimeoutMs,
      ...(options.blockTimeSeconds !== undefined
        ? { blockTimeSeconds: options.blockTimeSeconds }
        : {}),
    });

  let port = 0;
  let proc: ManagedProcess | undefined;
  try {
    // The free port can be taken between the check and anvil's bind: retry on a new one.
    for (let attempt = 1; !proc; attempt++) {
      port = await freePort();
      try {
        proc = await launch(port);
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  } catch (error) {
    await stateDir.remove();
    throw new TestInfraError(
      TestInfraErrorCode.ChainUnavailable,
      `could not start anvil (${binary}): ${describeError(error)}. Set CHAIN_RPC_URL to use a running chain.`,
      undefined,
      { cause: error },
    );
  }

  let current: ManagedProcess = proc;
  let stopped = false;
  let stopping: Promise<void> | undefined;
  const running = (what: string): ManagedProcess => {
    if (stopped || current.hasExited()) {
      throw new TestInfraError(TestInfraErrorCode.Unsupported, `${what}: anvil is not running`);
    }
    return current;
  };

  return {
    rpcUrl: `http://127.0.0.1:${port}`,
    chainId,
    accounts: anvilAccounts(),
    source: 'anvil',
    get pid() {
      return stopped ? undefined : current.pid;
    },
    pause: async () => running('pause()').signal('SIGSTOP'),
    resume: async () => running('resume()').signal('SIGCONT'),
    async restart() {
      if (stopped)
        throw new TestInfraError(TestInfraErrorCode.Unsupported, 'restart(): anvil was stopped');
      await current.stop(); // SIGCONT + SIGTERM: anvil writes its state file on the way out
      if (!existsSync(stateFile)) {
        throw new TestInfraError(
          TestInfraErrorCode.ProcessStartFailed,
          'anvil did not write its state on exit; the chain cannot be restarted with its state',
        );
      }
      current = await launch(port);
    },
    stop() {
      stopped = true;
      stopping ??= current.stop().finally(() => stateDir.remove());
      return stopping;
    },
  };
}
