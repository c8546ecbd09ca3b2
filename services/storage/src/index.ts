// The storage service is a process, not a library; this names what its tests and tools start.
export { startStorage, type RunningStorage } from './app.js';
export { storageConfig, type StorageConfig } from './config.js';
