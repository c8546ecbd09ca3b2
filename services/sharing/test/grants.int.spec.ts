import { randomUUID } from 'node:crypto';

import {
  canonicalJsonBytes,
  fromBase64Url,
  generateDataKey,
  generateParticipantKeys,
  sha256,
  toBase64Url,
  toHex,
  unwrapKey,
  wrapKey,
} from '@sec-health/crypto';
import {
  healthContract,
  natsContracts as c,
  uuidToBytes32,
  type AccessCheckRequest,
  type Consent,
  type Grant,
  type GrantKey,
  type GrantList,
  type Health,
  type RecordCategory,
  type Reply,
} from '@sec-health/protocol';
import type { EventLog } from 'ethers';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  consentOf,
  forgedSignature,
  grantRequest,
  minutes,
  revocationRequest,
  type TestParticipant,
} from './support/fixtures.js';
import {
  data,
  eventually,
  openSharingEnv,
  permissionViolationIn,
  type SharingEnv,
} from './sharing-env.js';

let env: SharingEnv;
let startRefusal: unknown;

beforeAll(async () => {
  env = await openSharingEnv();
  // The authority has not granted CONSENT_ROLE yet: the service must refuse to start.
  startRefusal = await env.start().then(
    () => undefined,
    (error: unknown) => error,
  );
  await env.grantConsentRole();
  await env.start();
}, 180_000);

afterAll(async () => {
  await env?.close();
});

function failure(reply: Reply<unknown>): { code?: string; reason?: unknown } {
  return reply.ok ? {} : { code: reply.error.code, reason: reply.error.details?.reason };
}

/** A data key wrapped (HPKE) to the grantee's encryption key, as the patient's client does. */
async function wrappedFor(
  grantee: TestParticipant,
  recordId: string,
  version = 1,
): Promise<{ key: GrantKey; dataKey: Uint8Array }> {
  const dataKey = generateDataKey();
  const wrapped = await wrapKey(
    grantee.keys.encryption.publicKey,
    dataKey,
    wrapContext(recordId, version),
  );
  return {
    dataKey,
    key: {
      recordId,
      version,
      wrappedKey: {
        recipientId: grantee.resolved.id,
        recipientKeyVersion: grantee.resolved.keyVersion,
        wrappedKey: toBase64Url(wrapped),
      },
    },
  };
}

const wrapContext = (recordId: string, version: number) => ({
  purpose: 'sec-health/record-key/v1',
  recordId,
  version: String(version),
});

function create(patient: TestParticipant, request: unknown, actor = patient.actor) {
  return env.request<Grant>(c.grantCreate.subject, request, actor);
}

function grantOf(actor: TestParticipant, consentId: string) {
  return env.request<Grant>(c.grantGet.subject, { consentId }, actor.actor);
}

function check(
  grantee: TestParticipant,
  patient: TestParticipant,
  fields: Partial<AccessCheckRequest> = {},
) {
  return env.accessCheck({
    actorId: grantee.resolved.id,
    patientId: patient.resolved.id,
    permission: 'read',
    category: 'allergies',
    recordId: randomUUID(),
    version: 1,
    ...fields,
  });
}

async function confirmed(patient: TestParticipant, consentId: string, revocation = false) {
  return eventually(async () => {
    const grant = data(await grantOf(patient, consentId));
    const anchor = revocation ? grant.revocationAnchor : grant.anchor;
    return anchor?.status === 'confirmed' ? grant : undefined;
  });
}

const hashOf = (value: unknown) => `0x${toHex(sha256(canonicalJsonBytes(value)))}`;

describe('start', () => {
  it('refuses to start while its chain account lacks CONSENT_ROLE, naming the account', () => {
    const account = new Wallet(env.config.chainKey).address;
    expect(startRefusal).toBeInstanceOf(Error);
    expect((startRefusal as Error).message).toContain('does not hold CONSENT_ROLE');
    expect((startRefusal as Error).message).toContain(account);
  });

  it('answers sharing.health with its dependencies up', async () => {
    const health = data(await env.request<Health>(healthContract('sharing').subject, {}));
    expect(health).toMatchObject({
      service: 'sharing',
      status: 'up',
      dependencies: { postgres: { status: 'up' }, chain: { status: 'up' } },
    });
  });
});

describe('grant.create', () => {
  it('grants a physician a category with a key only the physician opens; anchored on chain', async () => {
    const patient = env.enroll('patient');
    const physician = env.enroll('collaborator');
    const recordId = randomUUID();
    const { key, dataKey } = await wrappedFor(physician, recordId);
    const consent = consentOf(patient, physician);
    const request = grantRequest(consent, patient.keys.signing.secretKey, [key]);

    const grant = data(await create(patient, request));
    expect(grant).toMatchObject({
      consent,
      signature: request.signature,
      status: 'active',
      revokedAt: null,
      keyCount: 1,
      revocationAnchor: null,
    });

    const decision = data(await check(physician, patient, { recordId }));
    expect(decision).toMatchObject({ allowed: true, consentId: consent.consentId });
    const opened = await unwrapKey(
      physician.keys.encryption,
      fromBase64Url('wrappedKey', decision.wrappedKey!.wrappedKey),
      wrapContext(recordId, 1),
    );
    expect(toHex(opened)).toBe(toHex(dataKey));
    expect(data(await check(physician, patient, { recordId, version: 2 }))).toMatchObject({
      allowed: true,
      wrappedKey: null,
    });
    expect(data(await check(physician, patient, { recordId, category: 'notes' }))).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('no active read grant covers notes') as string,
      wrappedKey: null,
    });
    expect(data(await check(physician, patient, { permission: 'write' })).allowed).toBe(false);

    await eventually(() =>
      env.events.find(
        (e) => e.subject === 'events.consent.granted' && e.data.consentId === consent.consentId,
      ),
    );
    const anchored = await confirmed(patient, consent.consentId);
    const ledger = env.consentLedger();
    const logs = (await ledger.queryFilter(
      ledger.filters.ConsentGranted!(patient.resolved.participantRef),
      env.deployment.deployedAtBlock,
    )) as EventLog[];
    expect(logs).toHaveLength(1);
    expect(logs[0]!.transactionHash).toBe(anchored.anchor.txHash);
    expect(logs[0]!.args.toObject()).toEqual({
      patientRef: patient.resolved.participantRef,
      consentId: uuidToBytes32(consent.consentId),
      consentHash: hashOf({ consent, signature: request.signature }),
      granteeRef: physician.resolved.participantRef,
    });
  });

  it('returns the same grant for a retry, and refuses another consent under its id', async () => {
    const patient = env.enroll('patient');
    const physician = env.enroll('collaborator');
    const consent = consentOf(patient, physician);
    const request = grantRequest(consent, patient.keys.signing.secretKey);
    const first = data(await create(patient, request));
    const again = data(await create(patient, request));
    expect(again.consent).toEqual(first.consent);
    expect(again.signature).toBe(first.signature);
    // Retries racing each other make one grant too.
    const racing = consentOf(patient, physician);
    const racers = await Promise.all(
      Array.from({ length: 5 }, () =>
        create(patient, grantRequest(racing, patient.keys.signing.secretKey)),
      ),
    );
    expect(racers.map((reply) => data(reply).consent.consentId)).toEqual(
      Array<string>(5).fill(racing.consentId),
    );

    const changed = { ...consent, scope: { recordIds: [], categories: ['notes'] } } as Consent;
    const reply = await create(patient, grantRequest(changed, patient.keys.signing.secretKey));
    expect(failure(reply)).toEqual({ code: 'CONFLICT', reason: 'CONSENT_ID_TAKEN' });
    const stranger = env.enroll('patient');
    const taken = { ...consent, patientId: stranger.resolved.id };
    expect(
      failure(await create(stranger, grantRequest(taken, stranger.keys.signing.secretKey))),
    ).toEqual({ code: 'CONFLICT', reason: 'CONSENT_ID_TAKEN' });

    await confirmed(patient, consent.consentId);
    await confirmed(patient, racing.consentId);
    const ledger = env.consentLedger();
    const logs = (await ledger.queryFilter(
      ledger.filters.ConsentGranted!(patient.resolved.participantRef),
      env.deployment.deployedAtBlock,
    )) as EventLog[];
    expect(logs.map((log) => log.args.consentId as string).sort()).toEqual(
      [consent.consentId, racing.consentId].map(uuidToBytes32).sort(),
    );
  });

  describe('refusals, straight on NATS with the gateway credentials and genuine assertions', () => {
    const patient = () => env.enroll('patient');
    type Built = { who: TestParticipant; request: unknown; actor?: TestParticipant };
    const recordId = randomUUID();

    it.each<[string, () => Promise<Built>, string, string | undefined]>([
      [
        'a forged signature',
        async () => {
          const p = patient();
          const request = grantRequest(
            consentOf(p, env.enroll('collaborator')),
            p.keys.signing.secretKey,
          );
          return { who: p, request: { ...request, signature: forgedSignature() } };
        },
        'VALIDATION_FAILED',
        'BAD_SIGNATURE',
      ],
      [
        'a signature by another key',
        async () => {
          const p = patient();
          const consent = consentOf(p, env.enroll('collaborator'));
          return {
            who: p,
            request: grantRequest(consent, generateParticipantKeys().signing.secretKey),
          };
        },
        'VALIDATION_FAILED',
        'BAD_SIGNATURE',
      ],
      [
        "the grantee's signature",
        async () => {
          const p = patient();
          const physician = env.enroll('collaborator');
          return {
            who: p,
            request: grantRequest(consentOf(p, physician), physician.keys.signing.secretKey),
          };
        },
        'VALIDATION_FAILED',
        'BAD_SIGNATURE',
      ],
      [
        "another patient's consent, signed by that patient",
        async () => {
          const victim = patient();
          const consent = consentOf(victim, env.enroll('collaborator'));
          return {
            who: victim,
            actor: patient(),
            request: grantRequest(consent, victim.keys.signing.secretKey),
          };
        },
        'FORBIDDEN',
        undefined,
      ],
      [
        'a physician granting for a patient',
        async () => {
          const p = patient();
          const consent = consentOf(p, env.enroll('collaborator'));
          return {
            who: p,
            actor: env.enroll('collaborator'),
            request: grantRequest(consent, p.keys.signing.secretKey),
          };
        },
        'FORBIDDEN',
        undefined,
      ],
      [
        "a key wrapped to the grantee's previous key version",
        async () => {
          const p = patient();
          const physician = env.rotate(env.enroll('collaborator'), generateParticipantKeys());
          const { key } = await wrappedFor(physician, recordId);
          const stale = { ...key, wrappedKey: { ...key.wrappedKey, recipientKeyVersion: 1 } };
          return {
            who: p,
            request: grantRequest(consentOf(p, physician), p.keys.signing.secretKey, [stale]),
          };
        },
        'VALIDATION_FAILED',
        'STALE_RECIPIENT_KEY',
      ],
      [
        'a key wrapped to someone else',
        async () => {
          const p = patient();
          const { key } = await wrappedFor(env.enroll('collaborator'), recordId);
          const consent = consentOf(p, env.enroll('collaborator'));
          return { who: p, request: grantRequest(consent, p.keys.signing.secretKey, [key]) };
        },
        'VALIDATION_FAILED',
        'WRONG_RECIPIENT',
      ],
      [
        'an expired consent',
        async () => {
          const p = patient();
          const now = Date.now();
          const consent = consentOf(p, env.enroll('collaborator'), {
            validFrom: new Date(now - minutes(60)).toISOString(),
            expiresAt: new Date(now - minutes(1)).toISOString(),
          });
          return { who: p, request: grantRequest(consent, p.keys.signing.secretKey) };
        },
        'VALIDATION_FAILED',
        'EXPIRED',
      ],
      [
        'a consent signed ten minutes ago, replayed',
        async () => {
          const p = patient();
          const consent = consentOf(p, env.enroll('collaborator'), {
            signedAt: new Date(Date.now() - minutes(10)).toISOString(),
          });
          return { who: p, request: grantRequest(consent, p.keys.signing.secretKey) };
        },
        'VALIDATION_FAILED',
        'SIGNED_AT_SKEW',
      ],
      [
        'a revoked patient',
        async () => {
          const p = env.enroll('patient', { status: 'revoked' });
          const consent = consentOf(p, env.enroll('collaborator'));
          return { who: p, request: grantRequest(consent, p.keys.signing.secretKey) };
        },
        'FORBIDDEN',
        undefined,
      ],
      [
        'a revoked grantee',
        async () => {
          const p = patient();
          const consent = consentOf(p, env.enroll('collaborator', { status: 'revoked' }));
          return { who: p, request: grantRequest(consent, p.keys.signing.secretKey) };
        },
        'CONFLICT',
        'GRANTEE_NOT_ACTIVE',
      ],
      [
        'write access for a research entity',
        async () => {
          const p = patient();
          const consent = consentOf(p, env.enroll('research'), {
            purposeOfUse: 'research',
            permission: 'write',
          });
          return { who: p, request: grantRequest(consent, p.keys.signing.secretKey) };
        },
        'VALIDATION_FAILED',
        'GRANTEE_NOT_ELIGIBLE',
      ],
      [
        'a grantee nobody registered',
        async () => {
          const p = patient();
          const ghost = { resolved: { id: randomUUID() } } as TestParticipant;
          return { who: p, request: grantRequest(consentOf(p, ghost), p.keys.signing.secretKey) };
        },
        'NOT_FOUND',
        undefined,
      ],
    ])('%s', async (_name, build, code, reason) => {
      const { who, request, actor } = await build();
      const reply = await create(who, request, (actor ?? who).actor);
      expect(failure(reply)).toEqual({ code, reason });
      const consentId = (request as { consent: Consent }).consent.consentId;
      expect(failure(await grantOf(who, consentId)).code).toBe('NOT_FOUND');
    });
  });

  it('after a key rotation, refuses the old session and the old key, and takes the new key', async () => {
    const before = env.enroll('patient');
    const physician = env.enroll('collaborator');
    const patient = env.rotate(before, generateParticipantKeys());
    const consent = consentOf(patient, physician);
    const oldSession = await create(
      patient,
      grantRequest(consent, patient.keys.signing.secretKey),
      before.actor,
    );
    expect(failure(oldSession).code).toBe('UNAUTHENTICATED');
    const oldKey = await create(patient, grantRequest(consent, before.keys.signing.secretKey));
    expect(failure(oldKey)).toEqual({ code: 'VALIDATION_FAILED', reason: 'BAD_SIGNATURE' });
    expect(
      data(await create(patient, grantRequest(consent, patient.keys.signing.secretKey))).status,
    ).toBe('active');
  });

  it('fails closed when the authority does not answer: no grant is made', async () => {
    const patient = env.enroll('patient');
    const consent = consentOf(patient, env.enroll('collaborator'));
    await env.directory.pause();
    try {
      const reply = await create(patient, grantRequest(consent, patient.keys.signing.secretKey));
      expect(failure(reply).code).toBe('DEPENDENCY_UNAVAILABLE');
    } finally {
      await env.directory.start();
    }
    expect(failure(await grantOf(patient, consent.consentId)).code).toBe('NOT_FOUND');
  });
});

describe('grant.list, grant.get, grant.fhir', () => {
  it('shows a grant to its patient and its grantee only, in pages', async () => {
    const patient = env.enroll('patient');
    const physician = env.enroll('collaborator');
    const lab = env.enroll('collaborator', { kind: 'lab' });
    const stranger = env.enroll('collaborator');
    const made = [];
    for (const [grantee, permission] of [
      [physician, 'read'],
      [physician, 'write'],
      [lab, 'write'],
    ] as const) {
      const consent = consentOf(patient, grantee, { permission });
      made.push(data(await create(patient, grantRequest(consent, patient.keys.signing.secretKey))));
    }
    const ids = made.map((g) => g.consent.consentId).sort();

    const page1 = data(
      await env.request<GrantList>(c.grantList.subject, { as: 'patient', limit: 2 }, patient.actor),
    );
    expect(page1.items.map((g) => g.consent.consentId)).toEqual(ids.slice(0, 2));
    expect(page1.next).toBe(ids[1]);
    const page2 = data(
      await env.request<GrantList>(
        c.grantList.subject,
        { as: 'patient', limit: 2, after: page1.next },
        patient.actor,
      ),
    );
    expect(page2).toEqual({ items: [expect.objectContaining({ status: 'active' })], next: null });

    const asGrantee = data(await env.request<GrantList>(c.grantList.subject, {}, physician.actor));
    expect(asGrantee.items).toHaveLength(2);
    expect(asGrantee.items.every((g) => g.consent.granteeId === physician.resolved.id)).toBe(true);
    const strangers = data(
      await env.request<GrantList>(c.grantList.subject, { as: 'patient' }, physician.actor),
    );
    expect(strangers.items).toEqual([]);

    const target = made[0]!.consent.consentId;
    expect(data(await grantOf(physician, target)).consent.consentId).toBe(target);
    expect(failure(await grantOf(stranger, target)).code).toBe('NOT_FOUND');
    expect(failure(await grantOf(lab, target)).code).toBe('NOT_FOUND');
    expect(failure(await grantOf(patient, randomUUID())).code).toBe('NOT_FOUND');

    const fhir = data(
      await env.request<Record<string, unknown>>(
        c.grantFhir.subject,
        { consentId: target },
        physician.actor,
      ),
    );
    expect(fhir).toMatchObject({
      resourceType: 'Consent',
      id: target,
      status: 'active',
      patient: { reference: `Patient/${patient.resolved.id}` },
    });
    const fhirForStranger = await env.request(
      c.grantFhir.subject,
      { consentId: target },
      stranger.actor,
    );
    expect(failure(fhirForStranger).code).toBe('NOT_FOUND');
  });
});

describe('grant.revoke', () => {
  it('deletes the keys at once, is idempotent, and anchors ConsentRevoked', async () => {
    const patient = env.enroll('patient');
    const physician = env.enroll('collaborator');
    const recordId = randomUUID();
    const { key } = await wrappedFor(physician, recordId);
    const consent = consentOf(patient, physician);
    data(await create(patient, grantRequest(consent, patient.keys.signing.secretKey, [key])));
    expect(data(await check(physician, patient, { recordId })).wrappedKey).not.toBeNull();

    const revocation = revocationRequest(consent, patient.keys.signing.secretKey);
    const revoked = data(
      await env.request<Grant>(c.grantRevoke.subject, revocation, patient.actor),
    );
    expect(revoked).toMatchObject({ status: 'revoked', keyCount: 0 });
    expect(revoked.revokedAt).not.toBeNull();
    // The very next check: no access and no key.
    const after = data(await check(physician, patient, { recordId }));
    expect(after).toMatchObject({ allowed: false, wrappedKey: null, consentId: null });
    expect(after.reason).toContain('revoked');

    const again = data(await env.request<Grant>(c.grantRevoke.subject, revocation, patient.actor));
    expect(again.revokedAt).toBe(revoked.revokedAt);
    const listed = (status: string) =>
      env.request<GrantList>(c.grantList.subject, { as: 'patient', status }, patient.actor);
    expect(data(await listed('revoked')).items.map((g) => g.consent.consentId)).toEqual([
      consent.consentId,
    ]);
    expect(data(await listed('active')).items).toEqual([]);
    const addKeys = await env.request(
      c.grantAddKeys.subject,
      { consentId: consent.consentId, keys: [key] },
      patient.actor,
    );
    expect(failure(addKeys)).toEqual({ code: 'CONFLICT', reason: 'GRANT_NOT_ACTIVE' });

    await eventually(() =>
      env.events.find(
        (e) => e.subject === 'events.consent.revoked' && e.data.consentId === consent.consentId,
      ),
    );
    const anchored = await confirmed(patient, consent.consentId, true);
    const ledger = env.consentLedger();
    const logs = (await ledger.queryFilter(
      ledger.filters.ConsentRevoked!(patient.resolved.participantRef),
      env.deployment.deployedAtBlock,
    )) as EventLog[];
    expect(logs).toHaveLength(1);
    expect(logs[0]!.transactionHash).toBe(anchored.revocationAnchor!.txHash);
    expect(logs[0]!.args.toObject()).toEqual({
      patientRef: patient.resolved.participantRef,
      consentId: uuidToBytes32(consent.consentId),
      revocationHash: hashOf({
        consentId: consent.consentId,
        signedAt: revocation.signedAt,
        signature: revocation.signature,
      }),
    });
  });

  it('refuses forged, foreign and stale revocations, and the grant stands', async () => {
    const patient = env.enroll('patient');
    const physician = env.enroll('collaborator');
    const consent = consentOf(patient, physician);
    data(await create(patient, grantRequest(consent, patient.keys.signing.secretKey)));
    const good = revocationRequest(consent, patient.keys.signing.secretKey);
    const attempts: [unknown, TestParticipant, { code: string; reason?: string }][] = [
      [
        { ...good, signature: forgedSignature() },
        patient,
        { code: 'VALIDATION_FAILED', reason: 'BAD_SIGNATURE' },
      ],
      [
        revocationRequest(consent, generateParticipantKeys().signing.secretKey),
        patient,
        { code: 'VALIDATION_FAILED', reason: 'BAD_SIGNATURE' },
      ],
      [
        revocationRequest(
          consent,
          patient.keys.signing.secretKey,
          new Date(Date.now() - minutes(10)).toISOString(),
        ),
        patient,
        { code: 'VALIDATION_FAILED', reason: 'SIGNED_AT_SKEW' },
      ],
      [good, physician, { code: 'FORBIDDEN' }],
      [good, env.enroll('patient'), { code: 'NOT_FOUND' }],
    ];
    for (const [request, actor, expected] of attempts) {
      const reply = await env.request(c.grantRevoke.subject, request, actor.actor);
      expect(failure(reply)).toEqual({ reason: undefined, ...expected });
    }
    expect(data(await grantOf(patient, consent.consentId)).status).toBe('active');
    expect(data(await check(physician, patient)).allowed).toBe(true);
  });
});

describe('grant.add-keys, grant.recipients, grant.patients', () => {
  it('lets the patient and a lab with a write grant add keys for a grantee, idempotently', async () => {
    const patient = env.enroll('patient');
    const physician = env.enroll('collaborator');
    const lab = env.enroll('collaborator', { kind: 'lab' });
    const observations = { recordIds: [], categories: ['observations' as RecordCategory] };
    const readGrant = consentOf(patient, physician, { scope: observations });
    const writeGrant = consentOf(patient, lab, { scope: observations, permission: 'write' });
    for (const consent of [readGrant, writeGrant]) {
      data(await create(patient, grantRequest(consent, patient.keys.signing.secretKey)));
    }
    const recordId = randomUUID();
    const { key, dataKey } = await wrappedFor(physician, recordId);
    const add = (actor: TestParticipant, keys: GrantKey[], consentId = readGrant.consentId) =>
      env.request<{ consentId: string; added: number }>(
        c.grantAddKeys.subject,
        { consentId, keys },
        actor.actor,
      );

    expect(data(await add(lab, [key]))).toEqual({ consentId: readGrant.consentId, added: 1 });
    expect(data(await add(lab, [key])).added).toBe(0);
    expect(data(await add(patient, [key])).added).toBe(0);
    const decision = data(await check(physician, patient, { recordId, category: 'observations' }));
    const opened = await unwrapKey(
      physician.keys.encryption,
      fromBase64Url('wrappedKey', decision.wrappedKey!.wrappedKey),
      wrapContext(recordId, 1),
    );
    expect(toHex(opened)).toBe(toHex(dataKey));
    expect(data(await grantOf(patient, readGrant.consentId)).keyCount).toBe(1);

    expect(failure(await add(physician, [key])).code).toBe('FORBIDDEN');
    expect(failure(await add(env.enroll('collaborator'), [key])).code).toBe('NOT_FOUND');
    const stale = { ...key, wrappedKey: { ...key.wrappedKey, recipientKeyVersion: 2 } };
    expect(failure(await add(patient, [stale]))).toEqual({
      code: 'VALIDATION_FAILED',
      reason: 'STALE_RECIPIENT_KEY',
    });
    const foreign = (await wrappedFor(lab, recordId)).key;
    expect(failure(await add(patient, [foreign]))).toEqual({
      code: 'VALIDATION_FAILED',
      reason: 'WRONG_RECIPIENT',
    });
  });

  it("names a category's read grantees with their current keys, to the patient and its writers", async () => {
    const patient = env.enroll('patient');
    const physician = env.enroll('collaborator');
    const nurse = env.enroll('collaborator', { kind: 'nurse' });
    const lab = env.enroll('collaborator', { kind: 'lab' });
    const observations = { recordIds: [], categories: ['observations' as RecordCategory] };
    const grants = [
      consentOf(patient, physician, { scope: observations }),
      consentOf(patient, nurse, { scope: observations }),
      consentOf(patient, lab, { scope: observations, permission: 'write' }),
      consentOf(patient, physician, { scope: { recordIds: [], categories: ['allergies'] } }),
    ];
    for (const consent of grants) {
      data(await create(patient, grantRequest(consent, patient.keys.signing.secretKey)));
    }
    const ask = (actor: TestParticipant, category: RecordCategory = 'observations') =>
      env.request<{
        patientId: string;
        recipients: { granteeId: string; encryptionKey: string; keyVersion: number }[];
      }>(c.grantRecipients.subject, { patientId: patient.resolved.id, category }, actor.actor);
    const rotatedNurse = env.rotate(nurse, generateParticipantKeys());
    const forLab = data(await ask(lab));
    expect(forLab.recipients.map((r) => r.granteeId).sort()).toEqual(
      [physician.resolved.id, nurse.resolved.id].sort(),
    );
    expect(forLab.recipients.find((r) => r.granteeId === nurse.resolved.id)).toMatchObject({
      encryptionKey: rotatedNurse.resolved.keys.encryption,
      keyVersion: 2,
    });
    expect(data(await ask(patient)).recipients).toHaveLength(2);
    expect(failure(await ask(lab, 'allergies')).code).toBe('FORBIDDEN');
    expect(failure(await ask(physician)).code).toBe('FORBIDDEN');

    env.directory.set({ ...env.directory.get(physician.resolved.id), status: 'revoked' });
    expect(data(await ask(lab)).recipients.map((r) => r.granteeId)).toEqual([nurse.resolved.id]);
  });

  it('lists the patients who granted the caller access, grouped', async () => {
    const physician = env.enroll('collaborator');
    const [first, second] = [env.enroll('patient'), env.enroll('patient')];
    for (const patient of [first, second, first]) {
      const consent = consentOf(patient, physician);
      data(await create(patient, grantRequest(consent, patient.keys.signing.secretKey)));
    }
    const later = consentOf(second, physician, {
      validFrom: new Date(Date.now() + minutes(60)).toISOString(),
    });
    data(await create(second, grantRequest(later, second.keys.signing.secretKey)));

    const { items } = data(
      await env.request<{ items: { patientId: string; grants: { consentId: string }[] }[] }>(
        c.grantPatients.subject,
        {},
        physician.actor,
      ),
    );
    const counts = Object.fromEntries(items.map((i) => [i.patientId, i.grants.length]));
    expect(counts).toEqual({ [first.resolved.id]: 2, [second.resolved.id]: 1 });
  });
});

describe('internal.sharing.access.check', () => {
  it('enforces expiry at every check', async () => {
    const patient = env.enroll('patient');
    const physician = env.enroll('collaborator');
    const consent = consentOf(patient, physician, {
      expiresAt: new Date(Date.now() + 3_000).toISOString(),
    });
    data(await create(patient, grantRequest(consent, patient.keys.signing.secretKey)));
    expect(data(await check(physician, patient)).allowed).toBe(true);
    const refused = await eventually(async () => {
      const decision = data(await check(physician, patient));
      return decision.allowed ? undefined : decision;
    }, 20_000);
    expect(refused.reason).toContain('expired');
    expect(data(await grantOf(patient, consent.consentId)).status).toBe('expired');
  });

  it("is refused by NATS to the gateway's credentials", async () => {
    const error = await env.gateway
      .request(c.accessCheck.subject, JSON.stringify({}), { timeout: 3_000 })
      .then(
        () => new Error('the gateway reached the access check'),
        (e: unknown) => e,
      );
    expect(permissionViolationIn(error)).toBeDefined();
  });

  it('answers a malformed check with VALIDATION_FAILED', async () => {
    const message = await env.storage.request(
      c.accessCheck.subject,
      JSON.stringify({ actorId: 'nobody' }),
      { timeout: 5_000 },
    );
    expect(failure(message.json<Reply<unknown>>()).code).toBe('VALIDATION_FAILED');
  });
});

describe('logs', () => {
  it('never carry payloads: no signature or wrapped key appears in a log line', async () => {
    const patient = env.enroll('patient');
    const physician = env.enroll('collaborator');
    const { key } = await wrappedFor(physician, randomUUID());
    const request = grantRequest(consentOf(patient, physician), patient.keys.signing.secretKey, [
      key,
    ]);
    data(await create(patient, request));
    await create(patient, { ...request, signature: forgedSignature() });
    const text = JSON.stringify(env.logLines);
    expect(text).not.toContain(request.signature);
    expect(text).not.toContain(key.wrappedKey.wrappedKey);
    expect(env.logLines.some((l) => l.subject === c.grantCreate.subject)).toBe(true);
  });
});
