import { randomUUID } from 'node:crypto';

import { connect, type NatsConnection } from '@nats-io/transport-node';
import { canonicalJsonBytes, generateParticipantKeys, sha256, toHex } from '@sec-health/crypto';
import {
  natsContracts as c,
  natsPrincipals,
  type PolicyView,
  type Reply,
} from '@sec-health/protocol';
import type { EventLog } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  forgedSignature,
  minutes,
  policyOf,
  policyRequest,
  type TestParticipant,
} from './support/fixtures.js';
import {
  data,
  eventually,
  openSharingEnv,
  permissionViolationIn,
  type SharingEnv,
} from './sharing-env.js';

/** The service natsPrincipals() lets publish the policy resolve (the call-center). */
const RESOLVER = natsPrincipals().find((p) => p.publish.includes(c.policyResolve.subject))!.name;

let env: SharingEnv;
let resolver: NatsConnection;

beforeAll(async () => {
  env = await openSharingEnv();
  resolver = await connect(env.nats.connectOptions(RESOLVER));
  await env.grantConsentRole();
  await env.start();
}, 180_000);

afterAll(async () => {
  await resolver?.close();
  await env?.close();
});

function failure(reply: Reply<unknown>): { code?: string; reason?: unknown } {
  return reply.ok ? {} : { code: reply.error.code, reason: reply.error.details?.reason };
}

const set = (patient: TestParticipant, request: unknown, actor = patient) =>
  env.request<PolicyView>(c.policySet.subject, request, actor.actor);
const get = (patientId: string, actor: TestParticipant) =>
  env.request<PolicyView>(c.policyGet.subject, { patientId }, actor.actor);
/** A service-to-service read: no actor assertion, NATS permissions decide who may ask. */
const resolve = async (request: unknown) =>
  (
    await resolver.request(c.policyResolve.subject, JSON.stringify(request), { timeout: 15_000 })
  ).json<Reply<PolicyView>>();

describe('sharing.policy.get', () => {
  it("shows DESIGN.md's default to a patient who signed none", async () => {
    const patient = env.enroll('patient');
    expect(data(await get(patient.resolved.id, patient))).toEqual({
      source: 'default',
      policy: {
        patientId: patient.resolved.id,
        policyVersion: 1,
        breakGlass: true,
        confidentiality: ['N'],
        sensitivityOptIn: [],
        maxSessionMinutes: 60,
        contacts: [],
        signedAt: null,
      },
      signature: null,
      anchor: null,
    });
  });

  it('is NOT_FOUND for an id that is not a patient', async () => {
    const authority = env.enroll('authority');
    expect(failure(await get(randomUUID(), authority)).code).toBe('NOT_FOUND');
    const physician = env.enroll('collaborator');
    expect(failure(await get(physician.resolved.id, authority)).code).toBe('NOT_FOUND');
  });
});

describe('sharing.policy.set', () => {
  it('stores signed versions in order, shows them to whom may read them, anchors PolicySet', async () => {
    const patient = env.enroll('patient');
    const first = policyRequest(policyOf(patient), patient.keys.signing.secretKey);
    const view = data(await set(patient, first));
    expect(view).toMatchObject({
      source: 'signed',
      policy: first.policy,
      signature: first.signature,
    });

    for (const reader of [patient, env.enroll('emergency-server'), env.enroll('authority')]) {
      expect(data(await get(patient.resolved.id, reader)).policy).toEqual(first.policy);
    }
    for (const outsider of [
      env.enroll('collaborator'),
      env.enroll('patient'),
      env.enroll('attendant'),
    ]) {
      expect(failure(await get(patient.resolved.id, outsider)).code).toBe('FORBIDDEN');
    }

    // A retry of the policy in force returns it; another policy under its version is a conflict.
    expect(data(await set(patient, first)).policy).toEqual(first.policy);
    const rival = policyRequest(
      policyOf(patient, { breakGlass: false }),
      patient.keys.signing.secretKey,
    );
    expect(failure(await set(patient, rival))).toEqual({
      code: 'CONFLICT',
      reason: 'POLICY_VERSION_NOT_INCREASING',
    });
    const third = policyRequest(
      policyOf(patient, { policyVersion: 3, breakGlass: false, contacts: [] }),
      patient.keys.signing.secretKey,
    );
    expect(data(await set(patient, third)).policy.policyVersion).toBe(3);
    const older = policyRequest(
      policyOf(patient, { policyVersion: 2 }),
      patient.keys.signing.secretKey,
    );
    expect(failure(await set(patient, older)).code).toBe('CONFLICT');
    expect(data(await get(patient.resolved.id, patient)).policy).toEqual(third.policy);

    await eventually(() =>
      env.events.filter(
        (e) => e.subject === 'events.policy.set' && e.data.patientId === patient.resolved.id,
      ).length === 2
        ? true
        : undefined,
    );
    const anchored = await eventually(async () => {
      const current = data(await get(patient.resolved.id, patient));
      return current.anchor?.status === 'confirmed' ? current : undefined;
    });
    const ledger = env.consentLedger();
    const logs = await eventually(async () => {
      const found = (await ledger.queryFilter(
        ledger.filters.PolicySet!(patient.resolved.participantRef),
        env.deployment.deployedAtBlock,
      )) as EventLog[];
      return found.length === 2 ? found : undefined;
    });
    expect(logs.map((l) => l.args.toObject())).toEqual(
      [first, third].map((r) => ({
        patientRef: patient.resolved.participantRef,
        policyHash: `0x${toHex(sha256(canonicalJsonBytes({ policy: r.policy, signature: r.signature })))}`,
        policyVersion: BigInt(r.policy.policyVersion),
      })),
    );
    expect(logs[1]!.transactionHash).toBe(anchored.anchor!.txHash);
  });

  it('refuses forged, foreign and stale policies, straight on NATS', async () => {
    const patient = env.enroll('patient');
    const other = env.enroll('patient');
    const good = policyRequest(policyOf(patient), patient.keys.signing.secretKey);
    const attempts: [unknown, TestParticipant, { code: string; reason?: string }][] = [
      [
        { ...good, signature: forgedSignature() },
        patient,
        { code: 'VALIDATION_FAILED', reason: 'BAD_SIGNATURE' },
      ],
      [
        policyRequest(policyOf(patient), generateParticipantKeys().signing.secretKey),
        patient,
        { code: 'VALIDATION_FAILED', reason: 'BAD_SIGNATURE' },
      ],
      [
        policyRequest(
          policyOf(patient, { signedAt: new Date(Date.now() - minutes(30)).toISOString() }),
          patient.keys.signing.secretKey,
        ),
        patient,
        { code: 'VALIDATION_FAILED', reason: 'SIGNED_AT_SKEW' },
      ],
      [good, other, { code: 'FORBIDDEN' }],
      [good, env.enroll('emergency-server'), { code: 'FORBIDDEN' }],
      [
        { ...good, patientId: other.resolved.id },
        other,
        { code: 'VALIDATION_FAILED', reason: 'PATIENT_MISMATCH' },
      ],
    ];
    for (const [request, actor, expected] of attempts) {
      expect(failure(await set(patient, request, actor))).toEqual({
        reason: undefined,
        ...expected,
      });
    }
    expect(data(await get(patient.resolved.id, patient)).source).toBe('default');
  });
});

describe('internal.sharing.policy.resolve', () => {
  it('answers another service the default before a policy is signed, the signed one after', async () => {
    const patient = env.enroll('patient');
    const before = data(await resolve({ patientId: patient.resolved.id }));
    expect(before).toEqual(data(await get(patient.resolved.id, patient)));
    expect(before.source).toBe('default');

    const signed = policyRequest(policyOf(patient), patient.keys.signing.secretKey);
    data(await set(patient, signed));
    expect(data(await resolve({ patientId: patient.resolved.id }))).toMatchObject({
      source: 'signed',
      policy: signed.policy,
      signature: signed.signature,
    });
    const confirmed = await eventually(async () => {
      const view = data(await resolve({ patientId: patient.resolved.id }));
      return view.anchor?.status === 'confirmed' ? view : undefined;
    });
    expect(confirmed).toEqual(data(await get(patient.resolved.id, patient)));
  });

  it('answers the default for an id nobody signed a policy for, without an actor', async () => {
    const patientId = randomUUID();
    const view = data(await resolve({ patientId }));
    expect(view).toMatchObject({ source: 'default', signature: null, anchor: null });
    expect(view.policy.patientId).toBe(patientId);
  });

  it('answers a malformed request with VALIDATION_FAILED', async () => {
    for (const request of [{}, { patientId: 'nobody' }, { patientId: randomUUID(), extra: 1 }]) {
      expect(failure(await resolve(request)).code).toBe('VALIDATION_FAILED');
    }
  });

  it("is refused by NATS to the gateway's credentials", async () => {
    const patient = env.enroll('patient');
    const error = await env.gateway
      .request(c.policyResolve.subject, JSON.stringify({ patientId: patient.resolved.id }), {
        timeout: 3_000,
      })
      .then(
        () => new Error('the gateway reached the policy resolve'),
        (e: unknown) => e,
      );
    expect(permissionViolationIn(error)).toBeDefined();
  });
});
