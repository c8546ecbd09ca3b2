// Public surface of @sec-health/protocol: the wire contract every service and client shares.
export * from './errors.js';
export * from './validate.js';
export * from './headers.js';
export * from './reply.js';
export * from './primitives.js';
export * from './admin-action.js';
export * from './statements.js';
export * from './assertion.js';
export * from './events.js';
export * from './contracts.js';
export * from './participants.js';
export * from './organizations.js';
export * from './auth.js';
export * from './health.js';
export * from './nats-principals.js';
export * from './routes.js';
export { buildOpenApiDocument } from './openapi.js';
