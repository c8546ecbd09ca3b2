// The authority is a process, not a library; this names what its tests and tools start.
export { startAuthority, type RunningAuthority } from './app.js';
export { authorityConfig, type AuthorityConfig } from './config.js';
export { runSetup, type SetupResult } from './setup/run-setup.js';
