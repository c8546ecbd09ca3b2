import { anvil } from './anvil.mjs';
import { nats } from './nats.mjs';
import { postgres } from './postgres.mjs';

/** Everything infra:up provides for local runs, in start order. */
export const SERVICES = [postgres, nats, anvil];
