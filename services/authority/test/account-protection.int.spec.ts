import { randomUUID } from 'node:crypto';

import {
  generateParticipantKeys,
  generateSigningKeyPair,
  signCanonical,
  toBase64Url,
} from '@sec-health/crypto';
import {
  Header,
  natsContracts as c,
  registrationStatement,
  type DirectoryEntry,
  type Participant,
  type Reply,
} from '@sec-health/protocol';
import { ActorAssertionSigner } from '@sec-health/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sweepExpiredRegistrations } from '../src/participants/pending-expiry.js';
import { signed } from './admin-signing.js';
import { actorOf, approve, code, data, organizationWithAdmin, register } from './steps.js';
import {
  registration,
  rotation,
  setupAuthorityEnv,
  type ActorHeaders,
  type AuthorityEnv,
} from './authority-env.js';

// Regression tests for the account-takeover review (issue #10), against the real service on a
// private, authenticated NATS, PostgreSQL and anvil. Each names the finding it covers.

const MAX_PENDING = 3;
let env: AuthorityEnv;

async function activePatient() {
  const { participant, keys } = await register('patient');
  const active = await approve(participant.id, env.admin);
  return { participant: active, keys };
}

beforeAll(async () => {
  env = await setupAuthorityEnv({
    AUTHORITY_MAX_PENDING_PER_ORGANIZATION: String(MAX_PENDING),
  });
}, 180_000);

afterAll(async () => {
  await env?.close();
});

describe('issue #10 finding 1: key rotation takes over any account', () => {
  it("refuses a rotation that the participant's current key did not sign, even with its session", async () => {
    const { admin, org } = await organizationWithAdmin('Takeover Hospital');
    const attacker = generateSigningKeyPair();
    const stolenSession = { ...admin, signingKey: undefined };
    const forged = rotation(admin.id, 1, attacker.secretKey);
    const reply = await env.request(c.participantRotateKeys.subject, forged.request, stolenSession);
    expect(code(reply)).toBe('UNAUTHENTICATED');
    expect(reply.ok ? '' : reply.error.message).toContain('current signing key');
    // The admin still holds its own keys: it approves with them, the attacker cannot.
    const { participant } = await register('attendant', { organizationId: org.id });
    expect((await approve(participant.id, admin)).status).toBe('active');
    const entry = data(
      await env.request<DirectoryEntry>(c.directoryGet.subject, { participantId: admin.id }, admin),
    );
    expect(entry.keyVersion).toBe(1);
    expect(entry.keys.signing).not.toBe(toBase64Url(attacker.publicKey));
  });

  it('refuses a forged actor assertion and a plain actor header, whatever they claim', async () => {
    const { admin } = await organizationWithAdmin('Forged Header Hospital');
    const attacker = generateSigningKeyPair();
    const request = rotation(admin.id, 1, attacker.secretKey).request;
    const forger = await ActorAssertionSigner.fromSeed(generateSigningKeyPair().secretKey);
    expect(
      code(await env.request(c.participantRotateKeys.subject, request, admin, { signer: forger })),
    ).toBe('UNAUTHENTICATED');
    const headerOnly = await env.requestRaw(
      c.participantRotateKeys.subject,
      JSON.stringify(request),
      {
        [Header.RequestId]: randomUUID(),
        'x-actor-id': admin.id,
        'x-actor-role': admin.role,
      },
    );
    expect(code(headerOnly as Reply<unknown>)).toBe('UNAUTHENTICATED');
  });

  it("refuses the gateway's own genuine assertions used for another subject, another body or no actor", async () => {
    const body = { participantId: env.admin.id };
    const assertFor = (subject: string, signed: unknown, via?: 'login') =>
      env.gatewaySigner.sign({
        subject,
        body: signed,
        requestId: randomUUID(),
        ...(via
          ? { via }
          : {
              actor: { id: env.admin.id, role: 'authority', organizationId: null, keyVersion: 1 },
            }),
      });
    const send = async (subject: string, assertion: string) =>
      (await env.requestRaw(subject, JSON.stringify(body), {
        [Header.RequestId]: randomUUID(),
        [Header.ActorAssertion]: assertion,
      })) as Reply<unknown>;
    // Captured from a directory lookup, replayed on a participant read: wrong audience.
    const forDirectory = await assertFor(c.directoryGet.subject, body);
    expect(code(await send(c.participantGet.subject, forDirectory))).toBe('UNAUTHENTICATED');
    // Made for one body, sent with another.
    const forOtherBody = await assertFor(c.participantGet.subject, { participantId: randomUUID() });
    expect(code(await send(c.participantGet.subject, forOtherBody))).toBe('UNAUTHENTICATED');
    // The gateway's login lookup (no actor) does not open a route that needs one.
    const loginLookup = await assertFor(c.participantGet.subject, body, 'login');
    expect(code(await send(c.participantGet.subject, loginLookup))).toBe('UNAUTHENTICATED');
    // The genuine one still works: the refusals above are about the binding, not the key.
    const genuine = await assertFor(c.participantGet.subject, body);
    expect(code(await send(c.participantGet.subject, genuine))).toBeUndefined();
  });

  it('requires proof of the new key and a recent signature, and refuses a replay', async () => {
    const { participant, keys } = await activePatient();
    const session = actorOf(participant);
    const badProof = rotation(participant.id, 1, keys.signing.secretKey, undefined, {
      proveWith: generateSigningKeyPair().secretKey,
    });
    expect(
      code(await env.request(c.participantRotateKeys.subject, badProof.request, session)),
    ).toBe('VALIDATION_FAILED');
    const stale = rotation(participant.id, 1, keys.signing.secretKey, undefined, {
      signedAt: new Date(Date.now() - 6 * 60_000).toISOString(),
    });
    expect(code(await env.request(c.participantRotateKeys.subject, stale.request, session))).toBe(
      'UNAUTHENTICATED',
    );
    const wrongVersion = rotation(participant.id, 7, keys.signing.secretKey);
    expect(
      code(await env.request(c.participantRotateKeys.subject, wrongVersion.request, session)),
    ).toBe('CONFLICT');

    const good = rotation(participant.id, 1, keys.signing.secretKey);
    const rotated = data(
      await env.request<Participant>(c.participantRotateKeys.subject, good.request, session),
    );
    expect(rotated.keyVersion).toBe(2);
    // The same statement again, even with a fresh session, is not signed by the current key.
    const replay = await env.request(
      c.participantRotateKeys.subject,
      good.request,
      actorOf(participant, undefined, 2),
    );
    expect(code(replay)).toBe('UNAUTHENTICATED');
  });

  it('ends every session opened before the rotation', async () => {
    const { participant, keys } = await activePatient();
    const before = actorOf(participant, undefined, 1);
    data(
      await env.request(
        c.participantRotateKeys.subject,
        rotation(participant.id, 1, keys.signing.secretKey).request,
        before,
      ),
    );
    const read = (actor: ActorHeaders) =>
      env.request(c.participantGet.subject, { participantId: participant.id }, actor);
    const old = await read(before);
    expect(code(old)).toBe('UNAUTHENTICATED');
    expect(old.ok ? '' : old.error.message).toContain('rotated');
    expect(code(await read(actorOf(participant, undefined, 2)))).toBeUndefined();
  });
});

describe('issue #10 finding 2: small-order and non-canonical keys', () => {
  const identity = toBase64Url(Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0)));
  const zero = toBase64Url(new Uint8Array(32));
  const nonCanonical = toBase64Url(
    Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? 0x7f : 0xff)),
  );

  it.each([
    ['the identity point as signing key', { signing: identity }, 'keys.signing'],
    ['the all-zero signing key', { signing: zero }, 'keys.signing'],
    ['a non-canonical signing key', { signing: nonCanonical }, 'keys.signing'],
    ['the all-zero encryption key', { encryption: zero }, 'keys.encryption'],
  ])('refuses %s at registration with a typed error', async (_what, weak, path) => {
    const { request } = registration('patient');
    const reply = await env.request(c.participantRegister.subject, {
      ...request,
      keys: { ...request.keys, ...weak },
    });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', details: { reason: 'WEAK_KEY', issues: [{ path }] } },
    });
  });

  it('refuses a rotation to a small-order key', async () => {
    const { participant, keys } = await activePatient();
    const good = rotation(participant.id, 1, keys.signing.secretKey).request;
    const reply = await env.request(
      c.participantRotateKeys.subject,
      { ...good, keys: { ...good.keys, signing: identity } },
      actorOf(participant),
    );
    expect(reply).toMatchObject({ ok: false, error: { details: { reason: 'WEAK_KEY' } } });
  });
});

describe('issue #10 finding 4: registrations without limits', () => {
  it('caps the registrations waiting in an organization, and frees a place once one is handled', async () => {
    const { org, admin } = await organizationWithAdmin('Capped Hospital');
    const waiting: Participant[] = [];
    for (let i = 0; i < MAX_PENDING; i++) {
      waiting.push((await register('attendant', { organizationId: org.id })).participant);
    }
    const over = await env.request(
      c.participantRegister.subject,
      registration('attendant', { organizationId: org.id }).request,
    );
    expect(code(over)).toBe('RATE_LIMITED');
    await approve(waiting[0]!.id, admin);
    expect((await register('attendant', { organizationId: org.id })).participant.status).toBe(
      'pending',
    );
  });

  it('expires registrations nobody approved in time: swept, and no longer approvable', async () => {
    const { org, admin } = await organizationWithAdmin('Expiring Hospital');
    const { participant: old } = await register('attendant', { organizationId: org.id });
    const { participant: older } = await register('attendant', { organizationId: org.id });
    const ttlHours = env.config.pending.ttlHours;
    await env.authority.runtime.dataSource.query(
      `UPDATE "authority"."participants" SET "created_at" = now() - make_interval(hours => $2)
        WHERE "id" = ANY($1::uuid[])`,
      [[old.id, older.id], ttlHours + 1],
    );
    const late = await env.request(
      c.participantApprove.subject,
      signed('participants.approve', admin, { participantId: old.id }),
      admin,
    );
    expect(code(late)).toBe('CONFLICT');
    expect(late.ok ? '' : late.error.message).toContain('expired');
    expect(await sweepExpiredRegistrations(env.authority.runtime)).toBeGreaterThanOrEqual(2);
    const gone = await env.request(
      c.participantGet.subject,
      { participantId: older.id },
      env.admin,
    );
    expect(code(gone)).toBe('NOT_FOUND');
  });
});

describe("issue #10 finding 6: a patient's chain pseudonym", () => {
  it('is shown only to the patient and the authority, never to other participants or to a login lookup', async () => {
    const { participant: patient } = await activePatient();
    const { org, admin } = await organizationWithAdmin('Curious Hospital');
    const { participant: doctor } = await register('collaborator', {
      kind: 'physician',
      organizationId: org.id,
    });
    const physician = actorOf(await approve(doctor.id, admin));
    const lookup = (actor?: ActorHeaders, via?: 'login') =>
      env.request<DirectoryEntry>(
        c.directoryGet.subject,
        { participantId: patient.id },
        actor,
        via ? { via } : {},
      );
    for (const reply of [
      await lookup(physician),
      await lookup(admin),
      await lookup(undefined, 'login'),
    ]) {
      expect(data(reply)).toMatchObject({
        participantRef: null,
        attestation: null,
        status: 'active',
      });
    }
    for (const reply of [await lookup(actorOf(patient)), await lookup(env.admin)]) {
      expect(data(reply).participantRef).toBe(patient.participantRef);
      expect(data(reply).attestation?.attestation.participantRef).toBe(patient.participantRef);
    }
    expect(code(await lookup())).toBe('UNAUTHENTICATED');
    // Others' references are derived from their ids anyway: shown to anyone.
    const doctorEntry = data(
      await env.request<DirectoryEntry>(
        c.directoryGet.subject,
        { participantId: doctor.id },
        actorOf(patient),
      ),
    );
    expect(doctorEntry.participantRef).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("is left out of a patient's record read by the admin of the patient's organization", async () => {
    const { org, admin } = await organizationWithAdmin('Patient Org Hospital');
    const { participant } = await register('patient', { organizationId: org.id });
    const read = data(
      await env.request<Participant>(
        c.participantGet.subject,
        { participantId: participant.id },
        admin,
      ),
    );
    expect(read.participantRef).toBeNull();
  });
});

describe('issue #10 finding 9: forged actions left no trace', () => {
  it('logs one line per request with subject, actor, outcome, request id and duration, never the payload', async () => {
    const before = env.logLines.length;
    const { request } = registration('patient', { email: 'trace@example.org' });
    await env.request(c.participantRegister.subject, request);
    await env.request(c.participantGet.subject, { participantId: env.admin.id }, env.admin);
    const lines = env.logLines.slice(before).filter((line) => line.msg === 'request');
    expect(lines).toEqual([
      expect.objectContaining({
        subject: c.participantRegister.subject,
        actor: null,
        outcome: 'ok',
        requestId: expect.any(String) as unknown,
        durationMs: expect.any(Number) as unknown,
      }),
      expect.objectContaining({
        subject: c.participantGet.subject,
        actor: env.admin.id,
        outcome: 'ok',
      }),
    ]);
    const logged = JSON.stringify(env.logLines.slice(before));
    expect(logged).not.toContain('trace@example.org');
    expect(logged).not.toContain(request.keys.signing);
  });
});

describe('issue #10 finding 10: invisible and bidi characters in names', () => {
  it.each([
    ['a right-to-left override', 'Dr. \u202Eavlis'],
    ['a zero-width space', 'Ana\u200BSouza'],
  ])(
    'refuses, straight on NATS, a properly signed registration whose name has %s',
    async (_what, name) => {
      const keys = generateParticipantKeys();
      const draft = {
        role: 'patient' as const,
        keys: {
          signing: toBase64Url(keys.signing.publicKey),
          encryption: toBase64Url(keys.encryption.publicKey),
        },
        profile: { displayName: name },
      };
      const proof = toBase64Url(
        signCanonical(keys.signing.secretKey, registrationStatement(draft)),
      );
      const reply = await env.request(c.participantRegister.subject, { ...draft, proof });
      expect(reply).toMatchObject({
        ok: false,
        error: {
          code: 'VALIDATION_FAILED',
          details: { issues: [{ path: 'profile.displayName' }] },
        },
      });
    },
  );
});

describe('issue #10 finding 11: concurrent identical registrations', () => {
  it('gives ten identical registrations at once the same participant, never a 409', async () => {
    const { request } = registration('patient');
    const replies = await Promise.all(
      Array.from({ length: 10 }, () =>
        env.request<Participant>(c.participantRegister.subject, request),
      ),
    );
    expect(replies.map(code)).toEqual(Array(10).fill(undefined));
    expect(new Set(replies.map((r) => data(r).id)).size).toBe(1);
  });
});

describe('issue #10 finding 13: bodies that look like Nest packets', () => {
  it.each([
    { data: { participantId: '0190f5a0-0000-7000-8000-000000000001' } },
    { pattern: 'authority.directory.get' },
    { pattern: 'x', data: 1, id: 'forged' },
  ])('answers %j with a typed error instead of silence', async (body) => {
    const signedReply = await env.request(c.directoryGet.subject, body, env.admin);
    expect(code(signedReply)).toBe('VALIDATION_FAILED');
    const unsigned = (await env.requestRaw(
      c.directoryGet.subject,
      JSON.stringify(body),
    )) as Reply<unknown>;
    expect(code(unsigned)).toBe('UNAUTHENTICATED');
  });
});
