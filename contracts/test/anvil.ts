/**
 * Starts a real anvil (one process, the platform binary of `@foundry-rs/anvil`) on a free port for
 * one test file, and stops it after. Kept here until `libs/testing` offers a chain helper.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

import { HDNodeWallet, JsonRpcProvider, Network } from 'ethers';

/** anvil's default mnemonic; its accounts hold 10,000 ETH each on a fresh chain. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';
export const ANVIL_CHAIN_ID = 31337;

export interface AnvilOptions {
  /** anvil `--hardfork` (e.g. `london`); anvil's default when absent. */
  readonly hardfork?: string;
}

export interface Anvil {
  readonly url: string;
  readonly provider: JsonRpcProvider;
  /** Account `index` of the default mnemonic (m/44'/60'/0'/0/index), connected to the provider. */
  wallet(index: number): HDNodeWallet;
  /** Moves the chain clock forward by `seconds` and mines one block. */
  increaseTime(seconds: number): Promise<void>;
  /** Timestamp of the latest block. */
  now(): Promise<number>;
  stop(): Promise<void>;
}

/** Path of the anvil binary: `ANVIL_BIN`, else the platform package of `@foundry-rs/anvil`. */
export function anvilBinary(): string {
  const fromEnv = process.env['ANVIL_BIN'];
  if (fromEnv) return fromEnv;
  const arch = ({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[process.arch];
  if (!arch) throw new Error(`anvil: no @foundry-rs/anvil package for ${process.arch}`);
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve(`${pkg}/package.json`));
  return join(dir, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('anvil: no free port');
  return address.port;
}

async function rpcReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    });
    return res.ok;
  } catch {
    return false;
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function spawnAnvil(
  options: AnvilOptions,
): Promise<{ child: ChildProcess; url: string } | undefined> {
  const port = await freePort();
  const args = ['--port', String(port), '--host', '127.0.0.1', '--silent'];
  if (options.hardfork) args.push('--hardfork', options.hardfork);
  const child = spawn(anvilBinary(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let spawnError: Error | undefined;
  child.on('error', (err) => (spawnError = err));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`anvil: cannot start (${spawnError.message})`);
    if (child.exitCode !== null) {
      // Most likely the port was taken between freePort() and spawn: let the caller retry.
      if (/address already in use/i.test(stderr)) return undefined;
      throw new Error(`anvil exited with code ${child.exitCode}: ${stderr.trim()}`);
    }
    if (await rpcReady(url)) return { child, url };
    await new Promise((r) => setTimeout(r, 20));
  }
  await stopProcess(child);
  throw new Error(`anvil: not ready on ${url} within 10 s`);
}

/** Starts a fresh anvil on a free port and waits until it answers JSON-RPC. */
export async function startAnvil(options: AnvilOptions = {}): Promise<Anvil> {
  let started: { child: ChildProcess; url: string } | undefined;
  for (let attempt = 0; attempt < 3 && !started; attempt += 1) {
    started = await spawnAnvil(options);
  }
  if (!started) throw new Error('anvil: no free port after 3 attempts');
  const { child, url } = started;
  const provider = new JsonRpcProvider(url, Network.from(ANVIL_CHAIN_ID), {
    staticNetwork: true,
    batchMaxCount: 1,
    pollingInterval: 50,
    cacheTimeout: -1,
  });
  const wallets = new Map<number, HDNodeWallet>();
  return {
    url,
    provider,
    wallet(index) {
      let wallet = wallets.get(index);
      if (!wallet) {
        const path = `m/44'/60'/0'/0/${index}`;
        wallet = HDNodeWallet.fromPhrase(ANVIL_MNEMONIC, undefined, path).connect(provider);
        wallets.set(index, wallet);
      }
      return wallet;
    },
    async increaseTime(seconds) {
      await provider.send('evm_increaseTime', [seconds]);
      await provider.send('evm_mine', []);
    },
    async now() {
      const block = await provider.getBlock('latest');
      if (!block) throw new Error('anvil: no latest block');
      return block.timestamp;
    },
    async stop() {
      provider.destroy();
      await stopProcess(child);
    },
  };
}
