import type { ParticipantStatus, Role } from '@sec-health/protocol';

/** An actor as the database knows it (role and organization from its own row, not headers). */
export interface KnownActor {
  readonly id: string;
  readonly role: Role;
  readonly organizationId: string | null;
  readonly status: ParticipantStatus;
}

export interface Target {
  readonly id: string;
  readonly role: Role;
  readonly organizationId: string | null;
}

export type Decision =
  { readonly allowed: true } | { readonly allowed: false; readonly why: string };

const ALLOW: Decision = { allowed: true };
const deny = (why: string) => ({ allowed: false, why }) as const;

/**
 * May `actor` approve or revoke `target`? The authority may, except itself; an org admin only
 * within its own organization and never another org admin (nor the setup roles).
 */
export function mayAdminister(actor: KnownActor, target: Target): Decision {
  if (actor.status !== 'active') return deny('the actor is not active');
  if (actor.id === target.id) return deny('participants cannot approve or revoke themselves');
  if (actor.role === 'authority') return ALLOW;
  if (actor.role !== 'org-admin') return deny('only the authority and org admins administer');
  if (actor.organizationId === null || actor.organizationId !== target.organizationId) {
    return deny('org admins administer only their own organization');
  }
  if (
    target.role === 'org-admin' ||
    target.role === 'authority' ||
    target.role === 'emergency-server'
  ) {
    return deny(`only the authority administers role ${target.role}`);
  }
  return ALLOW;
}

/** May `actor` read `target`'s full record: itself, its org admin, or the authority. */
export function mayRead(actor: KnownActor, target: Target): Decision {
  if (actor.id === target.id) return ALLOW;
  if (actor.status !== 'active') return deny('the actor is not active');
  if (actor.role === 'authority') return ALLOW;
  if (
    actor.role === 'org-admin' &&
    actor.organizationId !== null &&
    actor.organizationId === target.organizationId
  ) {
    return ALLOW;
  }
  return deny('participants are readable by themselves, their org admin and the authority');
}

/**
 * Which organization a search is confined to: the authority searches everything (or the asked
 * organization), an org admin only its own; others may not search.
 */
export function searchScope(
  actor: KnownActor,
  requested: string | undefined,
):
  | { readonly allowed: true; readonly organizationId: string | undefined }
  | { readonly allowed: false; readonly why: string } {
  if (actor.status !== 'active') return deny('the actor is not active');
  if (actor.role === 'authority') return { allowed: true, organizationId: requested };
  if (actor.role !== 'org-admin' || actor.organizationId === null) {
    return deny('only the authority and org admins search participants');
  }
  if (requested !== undefined && requested !== actor.organizationId) {
    return deny('org admins search only their own organization');
  }
  return { allowed: true, organizationId: actor.organizationId };
}

/**
 * May `viewer` learn `target`'s on-chain reference? Everyone's but a patient's, which is a
 * random pseudonym linking the patient to every on-chain event: only the patient and the
 * authority see it (DESIGN.md section 4). `undefined`: the gateway looking someone up to log
 * them in, which needs keys and status only.
 */
export function mayKnowRef(viewer: KnownActor | undefined, target: Target): boolean {
  if (target.role !== 'patient') return true;
  if (viewer === undefined) return false;
  if (viewer.id === target.id) return true;
  return viewer.role === 'authority' && viewer.status === 'active';
}
