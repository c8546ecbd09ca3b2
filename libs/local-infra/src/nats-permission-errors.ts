import { PermissionViolationError, type NatsConnection } from '@nats-io/transport-node';

// How nats.js reports what the server's permissions refused: checks for the security suites and
// for anyone diagnosing a principal's configuration.

/** The next permission violation the server reports on `nc` (publish errors arrive as status). */
export async function nextPermissionViolation(
  nc: NatsConnection,
): Promise<PermissionViolationError> {
  for await (const status of nc.status()) {
    if (status.type === 'error' && status.error instanceof PermissionViolationError) {
      return status.error;
    }
  }
  throw new Error('the connection closed without a permission violation');
}

/** The permission violation behind a failed request (nats.js wraps it in a RequestError). */
export function permissionViolationIn(error: unknown): PermissionViolationError | undefined {
  if (error instanceof PermissionViolationError) return error;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return cause instanceof PermissionViolationError ? cause : undefined;
}

/** What a subscription ended with: a PermissionViolationError when the server refused it. */
export async function subscriptionRefusal(nc: NatsConnection, subject: string): Promise<unknown> {
  const sub = nc.subscribe(subject);
  await nc.flush();
  return sub.closed;
}
