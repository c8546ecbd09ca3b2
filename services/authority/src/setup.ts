import 'reflect-metadata';

import { createLogger, runMain } from '@sec-health/service-kit';

import { authorityConfig } from './config.js';
import { runSetup } from './setup/run-setup.js';

runMain('authority setup', async () => {
  const config = authorityConfig(process.env, process.cwd(), 'setup');
  // Only warnings: the operator reads the progress lines below.
  const logger = createLogger('authority-setup', { level: 'warn' });
  await runSetup(config, logger, { print: (line) => console.log(line) });
});
