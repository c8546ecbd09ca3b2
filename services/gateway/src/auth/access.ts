import type { Access } from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';

export type AccessDecision = 'allow' | 'unauthenticated' | 'forbidden';

/** May this caller (undefined: anonymous) call a route with this access rule? */
export function decideAccess(access: Access, actor: Actor | undefined): AccessDecision {
  if (access === 'public') return 'allow';
  if (actor === undefined) return 'unauthenticated';
  if (access === 'authenticated') return 'allow';
  return access.includes(actor.role) ? 'allow' : 'forbidden';
}
