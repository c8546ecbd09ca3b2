// The call-center service is a process, not a library; this names what its tests and tools start.
export { startCallCenter, type CallCenterOptions, type RunningCallCenter } from './app.js';
export { callCenterConfig, type CallCenterConfig } from './config.js';
