import { z } from 'zod';

import { urlVariable } from './common-config.js';

/** Where a service that anchors finds the chain and the contracts the authority deployed. */
export const chainEnvironment = {
  CHAIN_RPC_URL: urlVariable(['http:', 'https:']).default('http://127.0.0.1:8545'),
  CHAIN_ID: z.coerce.number().int().positive().default(31337),
  LEDGER_ADDRESS_BOOK: z.string().default('.sec-health/contracts.json'),
} as const;

/** A service's own PostgreSQL URL (its schema is its own). */
export function databaseUrlVariable() {
  return urlVariable(['postgres:', 'postgresql:']).default(
    'postgres://postgres@127.0.0.1:5432/postgres',
  );
}

/** A service's chain account key; `developmentKey` is one of anvil's public ones. */
export function chainKeyVariable(developmentKey: string) {
  return z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 0x-prefixed 32-byte hex private key')
    .default(developmentKey);
}
