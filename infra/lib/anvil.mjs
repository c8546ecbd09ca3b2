import { join } from 'node:path';

import { infra } from './local-infra.mjs';
import { ensureStateDir, STATE_DIR } from './paths.mjs';

const HOST = '127.0.0.1';
const PORT = 8545;
const URL = `http://${HOST}:${PORT}`;
/** anvil's log lists the funded accounts' private keys; the state holds the chain: both 0600. */
const LOG_FILE = join(STATE_DIR, 'anvil.log');
const STATE_FILE = join(STATE_DIR, 'anvil-state.json');

function narrowFiles() {
  infra.restrictToOwner(LOG_FILE);
  infra.restrictToOwner(STATE_FILE);
}

export const anvil = {
  name: 'anvil',
  address: `${HOST}:${PORT}`,

  async running() {
    return (await infra.probeChainId(URL)) !== undefined;
  },

  async whenRunning() {
    narrowFiles();
  },

  async start() {
    ensureStateDir();
    narrowFiles();
    // --state loads the file and writes it back on exit, --state-interval also every 5 s so a
    // crash loses little; umask 077 (startDetached) keeps the rewritten file private.
    const daemon = await infra.startAnvilDaemon({
      host: HOST,
      port: PORT,
      stateFile: STATE_FILE,
      stateIntervalSeconds: 5,
      logFile: LOG_FILE,
    });
    return { how: 'spawn', pid: daemon.pid, stateFile: STATE_FILE, chainId: daemon.chainId };
  },

  async stop(record) {
    await infra.stopPid(record.pid, 'anvil'); // SIGTERM: anvil writes its state file on the way out
  },
};
