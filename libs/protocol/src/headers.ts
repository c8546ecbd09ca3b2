/**
 * NATS headers the gateway sets on every request: the request id (also in every log line) and,
 * once the caller is authenticated, who is acting. Services trust these only from the gateway's
 * NATS account; security-critical requests also carry the user's own signature.
 */
export const Header = {
  RequestId: 'x-request-id',
  ActorId: 'x-actor-id',
  ActorRole: 'x-actor-role',
  ActorOrganization: 'x-actor-organization',
  /** Set instead of the actor headers when the gateway asks on its own behalf (e.g. login). */
  InternalCaller: 'x-internal-caller',
} as const;
