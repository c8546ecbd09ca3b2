// Both primitive backends, for cross-checks and benchmarks. Applications use the package root.
export { nodeBackend } from './backend/node.js';
export { portableBackend } from './backend/portable.js';
export { backend, useBackend } from './backend/active.js';
export type { CryptoBackend, ScryptParams } from './backend/types.js';
