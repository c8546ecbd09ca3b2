import { startProcess, type ManagedProcess } from './child-process.js';
import { startDetached, stopPid, type DetachedProcess } from './detached.js';
import { anvilBinaryPath } from './executables.js';
import { restrictToOwner } from './private-files.js';
import { probeChainId } from './probes.js';
import { waitUntil } from './wait.js';

/** anvil's default chain id. */
export const ANVIL_CHAIN_ID = 31337;

export interface AnvilLaunch {
  /** Default: the binary of @foundry-rs/anvil (anvilBinaryPath). */
  readonly binary?: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  readonly port: number;
  /** Default 31337. */
  readonly chainId?: number;
  /** `--state`: loaded at start, written on exit (SIGTERM), so a restart keeps the chain. */
  readonly stateFile?: string;
  /** `--state-interval`: also written every N seconds, so a crash loses little. */
  readonly stateIntervalSeconds?: number;
  /** Interval mining; default automine (a block per transaction). */
  readonly blockTimeSeconds?: number;
  /** `--silent`: no banner (which lists the funded accounts' keys). */
  readonly silent?: boolean;
  /** Bound on anvil answering. Default 15 s. */
  readonly timeoutMs?: number;
}

export function anvilArgs(launch: AnvilLaunch): string[] {
  const args = ['--host', launch.host ?? '127.0.0.1', '--port', String(launch.port)];
  args.push('--chain-id', String(launch.chainId ?? ANVIL_CHAIN_ID));
  if (launch.silent) args.push('--silent');
  if (launch.stateFile) args.push('--state', launch.stateFile);
  if (launch.stateIntervalSeconds !== undefined) {
    args.push('--state-interval', String(launch.stateIntervalSeconds));
  }
  if (launch.blockTimeSeconds !== undefined) {
    args.push('--block-time', String(launch.blockTimeSeconds));
  }
  return args;
}

function rpcUrl(launch: AnvilLaunch): string {
  return `http://${launch.host ?? '127.0.0.1'}:${launch.port}`;
}

/** anvil as a child of this process (tests), answering eth_chainId; killed when this process exits. */
export async function startAnvil(launch: AnvilLaunch): Promise<ManagedProcess> {
  const binary = launch.binary ?? anvilBinaryPath();
  const proc = await startProcess(binary, anvilArgs(launch), { name: 'anvil' });
  try {
    await waitUntil(() => probeChainId(rpcUrl(launch), 500), {
      timeoutMs: launch.timeoutMs ?? 15_000,
      what: `anvil on ${rpcUrl(launch)}`,
      process: proc,
    });
  } catch (error) {
    await proc.stop().catch(() => undefined);
    throw error;
  }
  return proc;
}

export interface AnvilDaemonLaunch extends AnvilLaunch {
  /** anvil's log lists the funded accounts' private keys: created 0600. */
  readonly logFile: string;
  readonly pidFile?: string;
}

/**
 * anvil detached (infra:up), with umask 077 so its state file is private too. Resolves once it
 * answers, with the chain id it reports.
 */
export async function startAnvilDaemon(
  launch: AnvilDaemonLaunch,
): Promise<DetachedProcess & { readonly binary: string; readonly chainId: number }> {
  const binary = launch.binary ?? anvilBinaryPath();
  if (launch.stateFile) restrictToOwner(launch.stateFile);
  const daemon = await startDetached(binary, anvilArgs(launch), {
    name: 'anvil',
    logFile: launch.logFile,
    ...(launch.pidFile ? { pidFile: launch.pidFile } : {}),
  });
  try {
    const chainId = await waitUntil(() => probeChainId(rpcUrl(launch), 500), {
      timeoutMs: launch.timeoutMs ?? 15_000,
      what: `anvil on ${rpcUrl(launch)}`,
      process: daemon,
      intervalMs: 100,
    });
    return { ...daemon, binary, chainId };
  } catch (error) {
    await stopPid(daemon.pid, 'anvil').catch(() => undefined);
    throw error;
  }
}
