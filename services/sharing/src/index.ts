// The sharing service is a process, not a library; this names what its tests and tools start.
export { startSharing, type RunningSharing } from './app.js';
export { sharingConfig, type SharingConfig } from './config.js';
