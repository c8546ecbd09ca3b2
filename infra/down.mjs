// npm run infra:down — stops only what infra:up started (per .sec-health/infra-state.json);
// services that were already running before infra:up are left alone.
import { rmSync } from 'node:fs';

import { SERVICES } from './lib/services.mjs';
import { readState, STATE_FILE, writeState } from './lib/state.mjs';

const state = readState();
let failures = 0;

for (const service of [...SERVICES].reverse()) {
  const label = `${service.name.padEnd(9)} ${service.address.padEnd(15)}`;
  const record = state[service.name];
  if (!record) {
    const running = await service.running();
    console.log(`${label} ${running ? 'left running (not started by infra:up)' : 'not running'}`);
    continue;
  }
  try {
    await service.stop(record);
    delete state[service.name];
    writeState(state);
    console.log(`${label} stopped (${record.how}${record.pid ? `, pid ${record.pid}` : ''})`);
  } catch (error) {
    failures++;
    console.error(`${label} NOT stopped: ${error instanceof Error ? error.message : error}`);
  }
}

if (Object.keys(state).length === 0) rmSync(STATE_FILE, { force: true });
if (failures > 0) process.exitCode = 1;
