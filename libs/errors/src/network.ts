/**
 * Node's socket error codes that mean "the server cannot be reached right now, retry later",
 * whichever server it is (database, chain, NATS): refused, reset, timed out, no route, no name.
 */
export const UNREACHABLE_SOCKET_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** How many wrappers deep `causes` looks (so a cycle in `cause` cannot loop for ever). */
const MAX_CAUSE_DEPTH = 5;

/** `error`, then its `cause`, its cause's cause..., at most a few deep. */
export function* causes(error: unknown): Generator<unknown> {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current !== undefined; depth++) {
    yield current;
    current =
      typeof current === 'object' && current !== null
        ? (current as { cause?: unknown }).cause
        : undefined;
  }
}
