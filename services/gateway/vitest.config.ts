import { projectTestConfig } from '../../vitest.shared.js';

// The integration suites share one NATS server and each start a gateway; one file at a time keeps
// their timeouts meaningful on a two-core machine.
export default projectTestConfig({ fileParallelism: false });
