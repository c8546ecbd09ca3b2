import { projectTestConfig } from '../vitest.shared.js';

// End-to-end suites start real processes and chains: one file at a time, generous timeouts.
export default projectTestConfig({
  include: ['e2e/**/*.spec.ts'],
  fileParallelism: false,
  testTimeout: 120_000,
  hookTimeout: 240_000,
});
