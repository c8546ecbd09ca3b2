/**
 * NATS headers the gateway sets on every request: the request id (also in every log line) and the
 * actor assertion, a short-lived token signed by the gateway's Ed25519 key (see assertion.ts).
 * Services take the actor only from a verified assertion, never from a plain header, and anything
 * that releases or changes data also checks the end user's own signature.
 */
export const Header = {
  RequestId: 'x-request-id',
  ActorAssertion: 'x-actor-assertion',
} as const;
