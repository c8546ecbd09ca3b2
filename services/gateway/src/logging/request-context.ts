import { currentRequestContext } from '@sec-health/service-kit';

// The request context is service-kit's, shared with every service's logger.
export { runWithRequestContext, type RequestContext } from '@sec-health/service-kit';

export function currentRequestId(): string | undefined {
  return currentRequestContext()?.requestId;
}
