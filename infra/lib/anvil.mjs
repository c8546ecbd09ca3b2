import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';

import { anvilBinary, ensureStateDir } from './paths.mjs';
import { probeRpc, waitFor } from './probes.mjs';
import { stopPid } from './run.mjs';

const HOST = '127.0.0.1';
const PORT = 8545;
const URL = `http://${HOST}:${PORT}`;

export const anvil = {
  name: 'anvil',
  address: `${HOST}:${PORT}`,

  async running() {
    return (await probeRpc(URL)) !== undefined;
  },

  async start() {
    const binary = anvilBinary();
    if (!binary) {
      throw new Error(
        'anvil binary not found (or ANVIL_BIN is not executable): run npm ci (it ships in @foundry-rs/anvil), or set ANVIL_BIN, or point CHAIN_RPC_URL at a node',
      );
    }
    const dir = ensureStateDir();
    const stateFile = join(dir, 'anvil-state.json');
    const log = openSync(join(dir, 'anvil.log'), 'a');
    // One detached process (not `npx anvil`); --state loads the file and writes it back on exit,
    // --state-interval also every 5 s so a crash loses little.
    const child = spawn(
      binary,
      ['--host', HOST, '--port', String(PORT), '--state', stateFile, '--state-interval', '5'],
      { detached: true, stdio: ['ignore', log, log] },
    );
    let spawnError;
    child.once('error', (error) => (spawnError = error));
    child.unref();
    const chainId = await waitFor(async () => (spawnError ? null : probeRpc(URL, 500)), 15_000);
    if (spawnError) throw new Error(`cannot run ${binary}: ${spawnError.message}`);
    if (chainId === undefined) {
      await stopPid(child.pid, 'anvil');
      throw new Error(`anvil did not answer on ${URL} within 15 s; see ${join(dir, 'anvil.log')}`);
    }
    return { how: 'spawn', pid: child.pid, stateFile, chainId };
  },

  async stop(record) {
    await stopPid(record.pid, 'anvil'); // SIGTERM: anvil writes its state file on the way out
  },
};
