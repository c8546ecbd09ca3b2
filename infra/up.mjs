// npm run infra:up — starts whatever of PostgreSQL, NATS (JetStream) and anvil is missing for
// local runs, and records what it started in .sec-health/infra-state.json for infra:down.
import { SERVICES } from './lib/services.mjs';
import { readState, STATE_FILE, writeState } from './lib/state.mjs';

const state = readState();
let failures = 0;

for (const service of SERVICES) {
  const label = `${service.name.padEnd(9)} ${service.address.padEnd(15)}`;
  const record = state[service.name];
  if (await service.running()) {
    console.log(
      `${label} already running${record ? ` (started by infra:up at ${record.startedAt})` : ' (not started by infra:up; infra:down leaves it)'}`,
    );
    continue;
  }
  if (record) delete state[service.name]; // what we started earlier is gone
  try {
    const started = await service.start();
    state[service.name] = { ...started, startedAt: new Date().toISOString() };
    writeState(state);
    console.log(`${label} started (${started.how}${started.pid ? `, pid ${started.pid}` : ''})`);
  } catch (error) {
    failures++;
    writeState(state);
    console.error(`${label} NOT started: ${error instanceof Error ? error.message : error}`);
  }
}

console.log(`state: ${STATE_FILE}`);
if (failures > 0) process.exitCode = 1;
