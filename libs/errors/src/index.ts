// Public surface of @sec-health/errors: the error base every project shares. No dependencies.
export { CodedError, errorGuard, isCodedError, type ErrorDetails } from './coded-error.js';
export { causes, UNREACHABLE_SOCKET_CODES } from './network.js';
