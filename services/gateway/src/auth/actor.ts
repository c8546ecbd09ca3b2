import type { Role } from '@sec-health/protocol';

/** The authenticated caller, as the session token says. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
  readonly organizationId: string | null;
}
