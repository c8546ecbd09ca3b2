// npm run infra:up — starts whatever of PostgreSQL, this checkout's private NATS (NKeys, subject
// permissions, JetStream) and anvil is missing for local runs, and records what it started in
// .sec-health/infra-state.json for infra:down.
import { SERVICES } from './lib/services.mjs';
import { readState, STATE_FILE, writeState } from './lib/state.mjs';

const state = readState();
let failures = 0;

for (const service of SERVICES) {
  const label = `${service.name.padEnd(9)} ${service.address.padEnd(15)}`;
  const record = state[service.name];
  try {
    if (await service.running()) {
      // A service may adopt what runs (record), disown it (null), or leave the record as it is.
      const outcome = (await service.whenRunning?.(record)) ?? {};
      if (outcome.record) {
        state[service.name] = {
          ...outcome.record,
          startedAt: record?.startedAt ?? new Date().toISOString(),
        };
      } else if (outcome.record === null) {
        delete state[service.name];
      }
      writeState(state);
      const owned = state[service.name];
      console.log(
        `${label} already running${owned ? ` (started by infra:up at ${owned.startedAt})` : ' (not started by infra:up; infra:down leaves it)'}${outcome.note ? `; ${outcome.note}` : ''}`,
      );
      continue;
    }
    if (record) delete state[service.name]; // what we started earlier is gone
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
