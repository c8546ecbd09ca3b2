import { readFile } from 'node:fs/promises';

import {
  healthContract,
  natsContracts,
  type DirectoryEntry,
  type Health,
  type Participant,
  type ParticipantList,
  type Reply,
} from '@sec-health/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runSetup } from '../src/setup/run-setup.js';
import { signed } from './admin-signing.js';
import {
  actorOf,
  approval,
  approve,
  code,
  createOrganization,
  data,
  organizationWithAdmin,
  register,
  revocation,
} from './steps.js';
import {
  eventually,
  quietLogger as logger,
  registration,
  rotation,
  setupAuthorityEnv,
  type ActorHeaders,
  type AuthorityEnv,
} from './authority-env.js';

const STATUS_NONE = 0n;
const STATUS_ACTIVE = 1n;
const STATUS_REVOKED = 2n;

let env: AuthorityEnv;

async function anchored(id: string): Promise<DirectoryEntry> {
  return eventually(async () => {
    const entry = data(
      await env.request<DirectoryEntry>(
        natsContracts.directoryGet.subject,
        { participantId: id },
        env.admin,
      ),
    );
    return entry.attestation?.anchor.status === 'confirmed' ? entry : undefined;
  });
}

async function chainStatus(ref: string): Promise<{ status: bigint; hash: string }> {
  const [status, hash] = (await env.registry().getFunction('status')(ref)) as [bigint, string];
  return { status, hash };
}

beforeAll(async () => {
  env = await setupAuthorityEnv();
}, 180_000);

afterAll(async () => {
  await env?.close();
});

describe('setup', () => {
  it('created the authority admin and five emergency servers, anchored, with CLI profiles', async () => {
    expect(env.setup.participants.map((p) => p.name)).toEqual([
      'authority-admin',
      'emergency-1',
      'emergency-2',
      'emergency-3',
      'emergency-4',
      'emergency-5',
    ]);
    const profile = JSON.parse(
      await readFile(env.setup.participants[1]!.profilePath, 'utf8'),
    ) as Record<string, unknown>;
    expect(Object.keys(profile).sort()).toEqual([
      'apiUrl',
      'keystore',
      'name',
      'participantId',
      'role',
      'version',
    ]);
    expect(profile).toMatchObject({
      version: 1,
      name: 'emergency-1',
      apiUrl: 'http://127.0.0.1:8080',
      role: 'emergency-server',
      participantId: env.setup.participants[1]!.participantId,
    });
    for (const p of env.setup.participants) {
      const entry = data(
        await env.request<DirectoryEntry>(
          natsContracts.directoryGet.subject,
          { participantId: p.participantId },
          env.admin,
        ),
      );
      expect(entry.status).toBe('active');
      expect(entry.attestation?.anchor.status).toBe('confirmed');
      expect(await chainStatus(entry.participantRef!)).toEqual({
        status: STATUS_ACTIVE,
        hash: entry.attestation!.hash,
      });
    }
  });

  it('changes nothing when run again', async () => {
    const again = await runSetup(env.config, logger);
    expect(again.participants.map((p) => [p.name, p.participantId, p.created])).toEqual(
      env.setup.participants.map((p) => [p.name, p.participantId, false]),
    );
  });
});

describe('health', () => {
  it('reports PostgreSQL, NATS and the chain up', async () => {
    const health = data(await env.request<Health>(healthContract('authority').subject, {}));
    expect(health).toEqual({
      service: 'authority',
      status: 'up',
      dependencies: {
        postgres: { status: 'up' },
        nats: { status: 'up' },
        chain: { status: 'up' },
        capacity: { status: 'up' },
      },
    });
  });
});

describe('registration, approval and attestation', () => {
  it('anchors the attestation hash of an approved collaborator on chain', async () => {
    const { org, admin } = await organizationWithAdmin('Hospital Happy Path');
    const { participant } = await register('collaborator', {
      kind: 'physician',
      organizationId: org.id,
      email: 'doc@example.org',
    });
    expect(participant).toMatchObject({ status: 'pending', attestation: null, kind: 'physician' });

    const approved = await approve(participant.id, admin);
    expect(approved.status).toBe('active');
    const attestation = approved.attestation!;
    expect(attestation.attestation).toMatchObject({
      version: 1,
      participantId: participant.id,
      participantRef: participant.participantRef,
      role: 'collaborator',
      keyVersion: 1,
      keys: participant.keys,
      issuerSigningKey: env.authority.runtime.attestationKey.publicKey,
    });

    const entry = await anchored(participant.id);
    expect(entry.attestation!.anchor.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await chainStatus(participant.participantRef!)).toEqual({
      status: STATUS_ACTIVE,
      hash: attestation.hash,
    });
  });

  it('keeps a self-registered patient pending until approved; patient refs are pseudonyms', async () => {
    const { participant } = await register('patient');
    expect(participant.organizationId).toBeNull();
    const entry = data(
      await env.request<DirectoryEntry>(
        natsContracts.directoryGet.subject,
        { participantId: participant.id },
        env.admin,
      ),
    );
    expect(entry.status).toBe('pending');
    expect(await chainStatus(participant.participantRef!)).toMatchObject({ status: STATUS_NONE });

    const approved = await approve(participant.id, env.admin);
    expect(approved.status).toBe('active');
    await anchored(participant.id);
    expect(await chainStatus(participant.participantRef!)).toMatchObject({ status: STATUS_ACTIVE });
  });

  it('rotates keys: a new attestation with the next key version, updated on chain', async () => {
    const { participant, keys: current } = await register('patient');
    await approve(participant.id, env.admin);
    await anchored(participant.id);
    const { request, keys: next } = rotation(participant.id, 1, current.signing.secretKey);
    const other = await register('patient');
    expect(
      code(
        await env.request(
          natsContracts.participantRotateKeys.subject,
          request,
          actorOf(other.participant),
        ),
      ),
    ).toBe('FORBIDDEN');

    const rotated = data(
      await env.request<Participant>(
        natsContracts.participantRotateKeys.subject,
        request,
        actorOf(participant),
      ),
    );
    expect(rotated.keys).toEqual(request.keys);
    expect(rotated.keyVersion).toBe(2);
    expect(rotated.attestation?.attestation.keyVersion).toBe(2);
    expect(next.signing.publicKey).toBeDefined();
    const entry = await anchored(participant.id);
    expect(await chainStatus(participant.participantRef!)).toEqual({
      status: STATUS_ACTIVE,
      hash: entry.attestation!.hash,
    });
  });
});

describe('authorization', () => {
  it('lets org admins administer only their own organization, and never other org admins', async () => {
    const a = await organizationWithAdmin('Hospital A');
    const b = await organizationWithAdmin('Hospital B');
    const { participant } = await register('attendant', { organizationId: a.org.id });

    expect(
      code(
        await env.request(
          natsContracts.participantApprove.subject,
          approval(participant.id, b.admin),
          b.admin,
        ),
      ),
    ).toBe('FORBIDDEN');
    const { participant: secondAdmin } = await register('org-admin', { organizationId: a.org.id });
    expect(
      code(
        await env.request(
          natsContracts.participantApprove.subject,
          approval(secondAdmin.id, a.admin),
          a.admin,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect((await approve(participant.id, a.admin)).status).toBe('active');
    expect(
      code(
        await env.request(
          natsContracts.participantApprove.subject,
          approval(participant.id, a.admin),
          a.admin,
        ),
      ),
    ).toBe('CONFLICT');
  });

  it('approves once when two admins race', async () => {
    const { org, admin } = await organizationWithAdmin('Hospital Race');
    const { participant } = await register('attendant', { organizationId: org.id });
    const replies = await Promise.all(
      [admin, env.admin].map((actor) =>
        env.request(
          natsContracts.participantApprove.subject,
          approval(participant.id, actor),
          actor,
        ),
      ),
    );
    expect(replies.map(code).sort()).toEqual(['CONFLICT', undefined]);
  });

  it('refuses organization creation to anyone but the authority', async () => {
    const { admin } = await organizationWithAdmin('Hospital C');
    const rogue = signed('organizations.create', admin, { name: 'Rogue' });
    expect(code(await env.request(natsContracts.organizationCreate.subject, rogue, admin))).toBe(
      'FORBIDDEN',
    );
    expect(code(await env.request(natsContracts.organizationCreate.subject, rogue))).toBe(
      'UNAUTHENTICATED',
    );
    const again = signed('organizations.create', env.admin, { name: 'Hospital C' });
    expect(
      code(await env.request(natsContracts.organizationCreate.subject, again, env.admin)),
    ).toBe('CONFLICT');
  });

  it('lets participants be read by themselves, their org admin and the authority only', async () => {
    const a = await organizationWithAdmin('Hospital D');
    const b = await organizationWithAdmin('Hospital E');
    const { participant } = await register('research', { organizationId: a.org.id });
    const ask = (actor?: ActorHeaders) =>
      env.request(natsContracts.participantGet.subject, { participantId: participant.id }, actor);
    expect(code(await ask(actorOf(participant)))).toBeUndefined();
    expect(code(await ask(a.admin))).toBeUndefined();
    expect(code(await ask(env.admin))).toBeUndefined();
    expect(code(await ask(b.admin))).toBe('FORBIDDEN');
    expect(code(await ask())).toBe('UNAUTHENTICATED');
    expect(
      code(
        await env.request(
          natsContracts.participantGet.subject,
          { participantId: '0190f5a0-0000-7000-8000-0000000000ff' },
          env.admin,
        ),
      ),
    ).toBe('NOT_FOUND');
  });

  it('confines an org admin search to its organization, with keyset pages', async () => {
    const a = await organizationWithAdmin('Hospital F');
    const b = await organizationWithAdmin('Hospital G');
    for (let i = 0; i < 3; i++) await register('attendant', { organizationId: a.org.id });
    expect(
      code(
        await env.request(
          natsContracts.participantSearch.subject,
          { organizationId: b.org.id },
          a.admin,
        ),
      ),
    ).toBe('FORBIDDEN');

    const first = data(
      await env.request<ParticipantList>(
        natsContracts.participantSearch.subject,
        { role: 'attendant', limit: 2 },
        a.admin,
      ),
    );
    expect(first.items).toHaveLength(2);
    expect(first.next).toBe(first.items[1]!.id);
    const second = data(
      await env.request<ParticipantList>(
        natsContracts.participantSearch.subject,
        { role: 'attendant', limit: 2, after: first.next },
        a.admin,
      ),
    );
    expect(second.items).toHaveLength(1);
    expect(second.next).toBeNull();
    expect([...first.items, ...second.items].every((p) => p.organizationId === a.org.id)).toBe(
      true,
    );
    const all = data(
      await env.request<ParticipantList>(
        natsContracts.participantSearch.subject,
        { limit: 100 },
        env.admin,
      ),
    );
    expect(all.items.some((p) => p.organizationId === b.org.id)).toBe(true);
  });
});

describe('revocation', () => {
  it('reports revoked at once and lands the revocation on chain', async () => {
    const { org, admin } = await organizationWithAdmin('Hospital R');
    const { participant } = await register('collaborator', {
      kind: 'nurse',
      organizationId: org.id,
    });
    await approve(participant.id, admin);
    await anchored(participant.id);

    const revoked = data(
      await env.request<Participant>(
        natsContracts.participantRevoke.subject,
        revocation(participant.id, 'left the hospital', admin),
        admin,
      ),
    );
    expect(revoked.status).toBe('revoked');
    const entry = data(
      await env.request<DirectoryEntry>(
        natsContracts.directoryGet.subject,
        { participantId: participant.id },
        env.admin,
      ),
    );
    expect(entry.status).toBe('revoked');
    await eventually(async () =>
      (await chainStatus(participant.participantRef!)).status === STATUS_REVOKED ? true : undefined,
    );

    expect(
      code(
        await env.request(
          natsContracts.participantRevoke.subject,
          revocation(participant.id, 'again', admin),
          admin,
        ),
      ),
    ).toBe('CONFLICT');
    expect(
      code(
        await env.request(
          natsContracts.participantRevoke.subject,
          revocation(env.admin.id, 'self', env.admin),
          env.admin,
        ),
      ),
    ).toBe('FORBIDDEN');
  });

  it('revokes a pending participant without touching the chain, and a revoked admin loses its powers', async () => {
    const { org, admin } = await organizationWithAdmin('Hospital P');
    const { participant } = await register('attendant', { organizationId: org.id });
    const revoked = data(
      await env.request<Participant>(
        natsContracts.participantRevoke.subject,
        revocation(participant.id, 'mistake', admin),
        admin,
      ),
    );
    expect(revoked.status).toBe('revoked');
    expect(await chainStatus(participant.participantRef!)).toMatchObject({ status: STATUS_NONE });

    data(
      await env.request(
        natsContracts.participantRevoke.subject,
        revocation(admin.id, 'gone', env.admin),
        env.admin,
      ),
    );
    const { participant: next } = await register('attendant', { organizationId: org.id });
    // The revoked admin's own, valid signature is refused.
    expect(
      code(
        await env.request(
          natsContracts.participantApprove.subject,
          approval(next.id, admin),
          admin,
        ),
      ),
    ).toBe('FORBIDDEN');
  });
});

describe('signed administrative actions', () => {
  it('refuses unsigned, garbage, misattributed and stale signatures', async () => {
    const { org, admin, keys: adminKeys } = await organizationWithAdmin('Hospital S');
    const other = await organizationWithAdmin('Hospital S2');
    const { participant } = await register('attendant', { organizationId: org.id });
    const approveWith = (payload: unknown) =>
      env.request(natsContracts.participantApprove.subject, payload, admin);

    expect(code(await approveWith({ participantId: participant.id }))).toBe('VALIDATION_FAILED');
    const good = approval(participant.id, admin);
    const garbage = { ...good.authorization, signature: 'A'.repeat(86) };
    expect(code(await approveWith({ ...good, authorization: garbage }))).toBe('UNAUTHENTICATED');
    const byOther = signed(
      'participants.approve',
      admin,
      { participantId: participant.id },
      { key: other.keys.signing.secretKey },
    );
    const reply = await approveWith(byOther);
    expect(code(reply)).toBe('UNAUTHENTICATED');
    expect(reply.ok ? '' : reply.error.message).toContain(`not signed by ${admin.id}`);
    // Another action's signature does not stand for this one.
    const revokeSig = revocation(participant.id, 'x', admin).authorization;
    expect(code(await approveWith({ ...good, authorization: revokeSig }))).toBe('UNAUTHENTICATED');
    const stale = new Date(Date.now() - 6 * 60_000).toISOString();
    const old = signed(
      'participants.approve',
      admin,
      { participantId: participant.id },
      { signedAt: stale },
    );
    const staleReply = await approveWith(old);
    expect(code(staleReply)).toBe('UNAUTHENTICATED');
    expect(staleReply.ok ? '' : staleReply.error.message).toContain(
      'outside the allowed 5 minutes',
    );
    const future = new Date(Date.now() + 6 * 60_000).toISOString();
    expect(
      code(
        await approveWith(
          signed(
            'participants.approve',
            admin,
            { participantId: participant.id },
            { signedAt: future },
          ),
        ),
      ),
    ).toBe('UNAUTHENTICATED');
    expect(
      code(
        await env.request(
          natsContracts.participantRevoke.subject,
          signed(
            'participants.revoke',
            admin,
            { participantId: participant.id, reason: 'r' },
            {
              key: adminKeys.signing.secretKey,
              signedAt: stale,
            },
          ),
          admin,
        ),
      ),
    ).toBe('UNAUTHENTICATED');
    const forgedOrg = signed(
      'organizations.create',
      env.admin,
      { name: 'Forged' },
      { key: adminKeys.signing.secretKey },
    );
    expect(
      code(await env.request(natsContracts.organizationCreate.subject, forgedOrg, env.admin)),
    ).toBe('UNAUTHENTICATED');
    // Nothing changed: the properly signed approval still succeeds, once.
    expect((await approve(participant.id, admin)).status).toBe('active');
    expect(code(await approveWith(good))).toBe('CONFLICT');
  });

  it('refuses a replayed organization creation', async () => {
    const request = signed('organizations.create', env.admin, { name: 'Hospital Replay' });
    data(await env.request(natsContracts.organizationCreate.subject, request, env.admin));
    expect(
      code(await env.request(natsContracts.organizationCreate.subject, request, env.admin)),
    ).toBe('CONFLICT');
  });
});

describe('bad input', () => {
  it('answers VALIDATION_FAILED, never crashes, and keeps answering', async () => {
    const org = await createOrganization('Hospital V');
    const good = registration('attendant', { organizationId: org.id }).request;
    const tampered = registration('attendant', { organizationId: org.id }).request;
    const cases: unknown[] = [
      null,
      [],
      'text',
      {},
      { ...good, role: 42 },
      { ...good, extra: true },
      { ...good, proof: undefined },
      { ...good, keys: { signing: 'short', encryption: good.keys.encryption } },
      { ...good, keys: { ...good.keys, signing: '_'.repeat(43) } },
      { ...tampered, profile: { displayName: 'Someone else' } },
      { ...good, proof: tampered.proof },
      { ...good, kind: 'physician' },
      { ...good, organizationId: undefined },
      { ...good, profile: { displayName: 'x\u0000y' } },
    ];
    for (const payload of cases) {
      const reply = await env.request(natsContracts.participantRegister.subject, payload);
      expect(code(reply), JSON.stringify(payload)).toBe('VALIDATION_FAILED');
    }
    expect(
      code(
        await env.request(
          natsContracts.participantApprove.subject,
          { ...approval(env.admin.id, env.admin), participantId: 'not-a-uuid' },
          env.admin,
        ),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(
      code(await env.request(natsContracts.participantSearch.subject, { limit: 1000 }, env.admin)),
    ).toBe('VALIDATION_FAILED');

    const notJson = (await env.requestRaw(
      natsContracts.participantRegister.subject,
      '{"role":',
    )) as Reply<unknown>;
    expect(code(notJson)).toBe('VALIDATION_FAILED');
    // Without the gateway's assertion, nothing is answered but UNAUTHENTICATED.
    const plain = (await env.requestRaw(
      natsContracts.directoryGet.subject,
      JSON.stringify({ participantId: env.admin.id }),
    )) as Reply<DirectoryEntry>;
    expect(code(plain)).toBe('UNAUTHENTICATED');

    expect(
      code(
        await env.request(
          natsContracts.participantRegister.subject,
          registration('authority').request,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      code(
        await env.request(
          natsContracts.participantRegister.subject,
          registration('emergency-server').request,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      code(
        await env.request(
          natsContracts.participantRegister.subject,
          registration('attendant', { organizationId: '0190f5a0-0000-7000-8000-0000000000ee' })
            .request,
        ),
      ),
    ).toBe('NOT_FOUND');

    const first = registration('patient');
    const registered = data<Participant>(
      await env.request(natsContracts.participantRegister.subject, first.request),
    );
    // A retry of the same registration (the answer was lost) gets the same participant, not a twin.
    const retried = data<Participant>(
      await env.request(natsContracts.participantRegister.subject, first.request),
    );
    expect(retried.id).toBe(registered.id);
    const duplicate = registration('patient', { email: 'dup@example.org' }, first.keys).request;
    expect(code(await env.request(natsContracts.participantRegister.subject, duplicate))).toBe(
      'CONFLICT',
    );

    expect(
      code(
        await env.request(
          natsContracts.participantGet.subject,
          { participantId: env.admin.id },
          { id: env.admin.id, role: 'patient' },
        ),
      ),
    ).toBe('FORBIDDEN');
    const health = data(await env.request<Health>(healthContract('authority').subject, {}));
    expect(health.status).toBe('up');
  });
});
