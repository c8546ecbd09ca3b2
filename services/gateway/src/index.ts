// Public surface of @sec-health/gateway: for the end-to-end and security suites, which start it.
export { createGateway, type CreateGatewayOptions, type Gateway } from './app/create-gateway.js';
export { loadGatewayConfig, type GatewayConfig } from './config.js';
export { SESSION_TOKEN_TYPE, TOKEN_LIFETIME_SECONDS } from './auth/token.service.js';
export { CHALLENGE_TTL_MS } from './auth/challenge-store.js';
