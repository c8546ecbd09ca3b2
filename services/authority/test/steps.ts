import {
  natsContracts as c,
  type Organization,
  type Participant,
  type Reply,
} from '@sec-health/protocol';

import { signed } from './admin-signing.js';
import { currentEnv, registration, type ActorHeaders } from './authority-env.js';

// The steps the integration suites take against the running authority (the suite's current env),
// each checked to succeed.

export function data<T>(reply: Reply<T>): T {
  if (!reply.ok) throw new Error(`expected ok, got ${reply.error.code}: ${reply.error.message}`);
  return reply.data;
}

export function code(reply: Reply<unknown>): string | undefined {
  return reply.ok ? undefined : reply.error.code;
}

/** How the gateway would assert `p`: its id, role, organization and the key version of its login. */
export function actorOf(p: Participant, signingKey?: Uint8Array, keyVersion = 1): ActorHeaders {
  return {
    id: p.id,
    role: p.role,
    organizationId: p.organizationId,
    keyVersion,
    ...(signingKey ? { signingKey } : {}),
  };
}

export function approval(participantId: string, actor: ActorHeaders) {
  return signed('participants.approve', actor, { participantId });
}

export function revocation(participantId: string, reason: string, actor: ActorHeaders) {
  return signed('participants.revoke', actor, { participantId, reason });
}

export async function createOrganization(name: string): Promise<Organization> {
  const env = currentEnv();
  return data(
    await env.request<Organization>(
      c.organizationCreate.subject,
      signed('organizations.create', env.admin, { name }),
      env.admin,
    ),
  );
}

export async function register(...args: Parameters<typeof registration>) {
  const built = registration(...args);
  const participant = data(
    await currentEnv().request<Participant>(c.participantRegister.subject, built.request),
  );
  return { participant, keys: built.keys };
}

export async function approve(id: string, actor: ActorHeaders): Promise<Participant> {
  return data(
    await currentEnv().request<Participant>(
      c.participantApprove.subject,
      approval(id, actor),
      actor,
    ),
  );
}

/** An organization with an active admin (its signing key kept for signed actions). */
export async function organizationWithAdmin(name: string) {
  const org = await createOrganization(name);
  const { participant, keys } = await register('org-admin', { organizationId: org.id });
  const admin = await approve(participant.id, currentEnv().admin);
  return { org, admin: actorOf(admin, keys.signing.secretKey), keys };
}
