import { projectTestConfig } from '../../vitest.shared.js';

// Each integration suite runs its own anvil and service; one file at a time on a small machine.
export default projectTestConfig({
  fileParallelism: false,
  testTimeout: 120_000,
  hookTimeout: 180_000,
});
