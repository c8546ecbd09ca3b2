import { ErrorCode, ProtocolError, type Role } from '@sec-health/protocol';

/** Who is acting, as the gateway's verified assertion says. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
  readonly organizationId: string | null;
  /** The key version the actor logged in with. */
  readonly keyVersion: number;
}

/** The actor, or UNAUTHENTICATED when the request carries none. */
export function requireActor(actor: Actor | undefined): Actor {
  if (!actor) throw new ProtocolError(ErrorCode.Unauthenticated, 'authentication required');
  return actor;
}
