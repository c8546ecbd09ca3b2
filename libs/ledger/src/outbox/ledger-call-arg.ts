/** A call argument as stored in an outbox row's JSON payload (integers as decimal strings). */
export type LedgerCallArg = string | number | boolean | readonly LedgerCallArg[];
