// Public surface of @sec-health/gateway: for the end-to-end suite, which starts it in-process.
export { createGateway, type CreateGatewayOptions, type Gateway } from './app/create-gateway.js';
export { ConfigError, loadGatewayConfig, type GatewayConfig } from './config/gateway-config.js';
export { TOKEN_LIFETIME_SECONDS } from './auth/token.service.js';
export { CHALLENGE_TTL_MS } from './auth/challenge-store.js';
export { INTERNAL_CALLER_HEADER } from './nats/service-client.js';
export { LOGIN_INTERNAL_CALLER } from './auth/login.service.js';
