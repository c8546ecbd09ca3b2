import { projectTestConfig } from '../../vitest.shared.js';

// The suites each run an anvil and drive it hard; one file at a time keeps their timeouts
// meaningful on a two-core machine.
export default projectTestConfig({ fileParallelism: false });
