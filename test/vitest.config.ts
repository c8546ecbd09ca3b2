import { projectTestConfig } from '../vitest.shared.js';

// Cross-service suites (end-to-end, security, faults) start real processes and chains: one file
// at a time, generous timeouts.
export default projectTestConfig({
  include: ['e2e/**/*.spec.ts', 'security/**/*.spec.ts', 'faults/**/*.spec.ts'],
  fileParallelism: false,
  testTimeout: 120_000,
  hookTimeout: 240_000,
});
