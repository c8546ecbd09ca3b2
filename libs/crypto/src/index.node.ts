// Node entry: the same API as index.ts, on native node:crypto primitives (10-30x faster here;
// see the crypto benchmark). Outputs are byte-identical to the portable backend.
import { useBackend } from './backend/active.js';
import { nodeBackend } from './backend/node.js';

useBackend(nodeBackend);

export * from './index.js';
