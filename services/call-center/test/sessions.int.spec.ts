import {
  natsContracts as c,
  uuidToBytes32,
  type EmergencySession,
  type Reply,
} from '@sec-health/protocol';
import { encodeBytes32String, type EventLog } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openCallCenterEnv, data, eventually, type CallCenterEnv } from './callcenter-env.js';
import {
  closeRequest,
  forgedSignature,
  openingOf,
  openRequest,
  policyView,
  reassignRequest,
  type TestParticipant,
} from './support/fixtures.js';

// libs/protocol exports the EmergencySessionList schema but no type of it.
type EmergencySessionList = { items: EmergencySession[]; next: string | null };

let env: CallCenterEnv;
let organizationId: string;
let attendant: TestParticipant;
let colleague: TestParticipant;
let patient: TestParticipant;
let collaborator: TestParticipant;
let secondCollaborator: TestParticipant;

beforeAll(async () => {
  env = await openCallCenterEnv();
}, 180_000);

afterAll(async () => {
  await env?.close();
}, 60_000);

function enrollParties() {
  organizationId = crypto.randomUUID();
  attendant = env.enroll('attendant', { organizationId });
  colleague = env.enroll('attendant', { organizationId });
  patient = env.enroll('patient');
  collaborator = env.enroll('collaborator');
  secondCollaborator = env.enroll('collaborator');
}

function open(request: ReturnType<typeof openRequest>, who: TestParticipant = attendant) {
  return env.request<EmergencySession>(c.sessionOpen.subject, request, who.actor);
}

function refusal(reply: Reply<unknown>) {
  if (reply.ok) throw new Error('expected a refusal, got ok');
  return { code: reply.error.code, reason: reply.error.details?.['reason'] };
}

async function sessionRows(sessionId: string): Promise<number> {
  const dataSource = env.callCenter().runtime.dataSource;
  const rows = await dataSource.query<unknown[]>(
    'SELECT 1 FROM "callcenter"."sessions" WHERE session_id = $1',
    [sessionId],
  );
  return rows.length;
}

async function openedEvents(sessionId: string): Promise<EventLog[]> {
  const log = env.emergencyAccessLog();
  return (await log.queryFilter(
    log.filters['SessionOpened']!(null, uuidToBytes32(sessionId)),
    0,
  )) as EventLog[];
}

async function closedEvents(sessionId: string): Promise<EventLog[]> {
  const log = env.emergencyAccessLog();
  return (await log.queryFilter(
    log.filters['SessionClosed']!(null, uuidToBytes32(sessionId)),
    0,
  )) as EventLog[];
}

describe('start', () => {
  it('refuses to start without SESSION_ROLE, saying who must grant it', async () => {
    await expect(env.start()).rejects.toThrow(/does not hold SESSION_ROLE on EmergencyAccessLog/);
    await env.grantSessionRole();
    await env.start();
    enrollParties();
  });
});

describe('callcenter.session.open', () => {
  it('opens a session only once SessionOpened is on chain, with the refs, reason and expiry', async () => {
    const opening = openingOf(patient, collaborator);
    const reply = await open(openRequest(opening, attendant.keys.signing.secretKey));
    const session = data(reply);
    // The reply came after the receipt: the event is on chain now, found by a plain query.
    const [event] = await openedEvents(opening.sessionId);
    expect(event).toBeDefined();
    expect(event!.args['patientRef']).toBe(patient.resolved.participantRef);
    expect(event!.args['attendantRef']).toBe(attendant.resolved.participantRef);
    expect(event!.args['collaboratorRef']).toBe(collaborator.resolved.participantRef);
    expect(event!.args['reasonCode']).toBe(encodeBytes32String('ETREAT'));
    expect(Number(event!.args['expiresAt'])).toBe(Date.parse(session.expiresAt) / 1000);
    expect(session).toMatchObject({
      sessionId: opening.sessionId,
      patientId: patient.resolved.id,
      attendantId: attendant.resolved.id,
      organizationId,
      collaboratorId: collaborator.resolved.id,
      status: 'open',
      notes: opening.notes,
      anchor: {
        status: 'confirmed',
        txHash: event!.transactionHash,
        blockNumber: event!.blockNumber,
      },
    });
    // 60 minutes (the default policy and the service's default) from the signed time.
    expect(Date.parse(session.expiresAt)).toBe(
      (Math.floor(Date.parse(opening.signedAt) / 1000) + 60 * 60) * 1000,
    );
    const opened = await eventually(() =>
      env.events.find(
        (e) => e.subject === 'events.session.opened' && e.data['sessionId'] === opening.sessionId,
      ),
    );
    expect(opened.data).toMatchObject({ patientId: patient.resolved.id, organizationId });
    expect(JSON.stringify(opened.data)).not.toContain('neighbour');
    expect(JSON.stringify(env.logLines)).not.toContain('neighbour');
  });

  it('caps the session at the patient policy', async () => {
    const shortPatient = env.enroll('patient');
    env.policies.set(policyView(shortPatient.resolved.id, { maxSessionMinutes: 15 }));
    const opening = openingOf(shortPatient, collaborator, { reasonCode: 'BTG' });
    const session = data(await open(openRequest(opening, attendant.keys.signing.secretKey)));
    const minutes = (Date.parse(session.expiresAt) - Date.parse(opening.signedAt)) / 60_000;
    expect(minutes).toBeGreaterThan(14.9);
    expect(minutes).toBeLessThanOrEqual(15);
    const [event] = await openedEvents(opening.sessionId);
    expect(event!.args['reasonCode']).toBe(encodeBytes32String('BTG'));
  });

  it('returns the same session for the same signed opening, CONFLICT for another under its id', async () => {
    const request = openRequest(openingOf(patient, collaborator), attendant.keys.signing.secretKey);
    const first = data(await open(request));
    const again = data(await open(request));
    expect(again).toEqual(first);
    expect(await openedEvents(request.opening.sessionId)).toHaveLength(1);
    const other = openRequest(
      { ...request.opening, notes: 'another call' },
      attendant.keys.signing.secretKey,
    );
    expect(refusal(await open(other))).toEqual({ code: 'CONFLICT', reason: 'SESSION_ID_TAKEN' });
  });

  it.each<
    [
      string,
      () => { request: ReturnType<typeof openRequest>; who: TestParticipant },
      string,
      string?,
    ]
  >([
    [
      'a collaborator (wrong role)',
      () => ({
        request: openRequest(openingOf(patient, collaborator), collaborator.keys.signing.secretKey),
        who: collaborator,
      }),
      'FORBIDDEN',
    ],
    [
      'a forged signature',
      () => ({
        request: {
          ...openRequest(openingOf(patient, collaborator), attendant.keys.signing.secretKey),
          signature: forgedSignature(),
        },
        who: attendant,
      }),
      'VALIDATION_FAILED',
      'BAD_SIGNATURE',
    ],
    [
      "another attendant's key",
      () => ({
        request: openRequest(openingOf(patient, collaborator), colleague.keys.signing.secretKey),
        who: attendant,
      }),
      'VALIDATION_FAILED',
      'BAD_SIGNATURE',
    ],
    [
      'a signature from half an hour ago',
      () => ({
        request: openRequest(
          openingOf(patient, collaborator, {
            signedAt: new Date(Date.now() - 30 * 60_000).toISOString(),
          }),
          attendant.keys.signing.secretKey,
        ),
        who: attendant,
      }),
      'VALIDATION_FAILED',
      'SIGNED_AT_SKEW',
    ],
    [
      'a patient who is not a patient',
      () => ({
        request: openRequest(
          openingOf(collaborator, secondCollaborator),
          attendant.keys.signing.secretKey,
        ),
        who: attendant,
      }),
      'VALIDATION_FAILED',
      'NOT_A_PATIENT',
    ],
    [
      'a collaborator who is not a collaborator',
      () => ({
        request: openRequest(openingOf(patient, colleague), attendant.keys.signing.secretKey),
        who: attendant,
      }),
      'VALIDATION_FAILED',
      'NOT_A_COLLABORATOR',
    ],
    [
      'a revoked collaborator',
      () => ({
        request: openRequest(
          openingOf(patient, env.enroll('collaborator', { status: 'revoked' })),
          attendant.keys.signing.secretKey,
        ),
        who: attendant,
      }),
      'CONFLICT',
      'PARTICIPANT_NOT_ACTIVE',
    ],
  ])('refuses %s, and opens nothing', async (_name, build, code, reason) => {
    const { request, who } = build();
    const reply = await open(request, who);
    expect(refusal(reply)).toEqual({ code, reason });
    expect(await sessionRows(request.opening.sessionId)).toBe(0);
    expect(await openedEvents(request.opening.sessionId)).toHaveLength(0);
  });

  it.each([
    ['revoked', { status: 'revoked' as const }, 'FORBIDDEN'],
    ['pending', { status: 'pending' as const }, 'FORBIDDEN'],
    ['logged in before a key rotation', { keyVersion: 2 }, 'UNAUTHENTICATED'],
  ])('refuses an attendant who is %s', async (_name, change, code) => {
    const other = env.enroll('attendant', { organizationId });
    env.directory.set({ ...other.resolved, ...change });
    const request = openRequest(openingOf(patient, collaborator), other.keys.signing.secretKey);
    expect(refusal(await open(request, other)).code).toBe(code);
    expect(await sessionRows(request.opening.sessionId)).toBe(0);
  });

  it('refuses a patient whose policy turns break-glass off', async () => {
    const guarded = env.enroll('patient');
    env.policies.set(policyView(guarded.resolved.id, { breakGlass: false }));
    const request = openRequest(openingOf(guarded, collaborator), attendant.keys.signing.secretKey);
    expect(refusal(await open(request))).toEqual({ code: 'FORBIDDEN', reason: 'BREAK_GLASS_OFF' });
    expect(await sessionRows(request.opening.sessionId)).toBe(0);
  });

  it('fails closed when the sharing service does not answer', async () => {
    await env.policies.pause();
    try {
      const request = openRequest(
        openingOf(patient, collaborator),
        attendant.keys.signing.secretKey,
      );
      expect(refusal(await open(request)).code).toBe('DEPENDENCY_UNAVAILABLE');
      expect(await sessionRows(request.opening.sessionId)).toBe(0);
    } finally {
      await env.policies.start();
    }
  });

  it('with the chain frozen: 503 "ledger unavailable" and no session; the retry opens it once', async () => {
    const request = openRequest(openingOf(patient, collaborator), attendant.keys.signing.secretKey);
    await env.chain.pause();
    let reply: Reply<EmergencySession>;
    try {
      reply = await open(request);
    } finally {
      await env.chain.resume();
    }
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('DEPENDENCY_UNAVAILABLE');
      expect(reply.error.message).toMatch(/ledger unavailable/);
    }
    expect(await sessionRows(request.opening.sessionId)).toBe(0);
    expect(
      refusal(
        await env.request(
          c.sessionGet.subject,
          { sessionId: request.opening.sessionId },
          attendant.actor,
        ),
      ).code,
    ).toBe('NOT_FOUND');
    // Once the chain is back, the same signed opening opens it, with one SessionOpened.
    const session = await eventually(async () => {
      const again = await open(request);
      return again.ok ? again.data : undefined;
    });
    expect(session.status).toBe('open');
    expect(await openedEvents(request.opening.sessionId)).toHaveLength(1);
  });
});

describe('callcenter.session.get and list', () => {
  let session: EmergencySession;

  beforeAll(async () => {
    session = data(
      await open(openRequest(openingOf(patient, collaborator), attendant.keys.signing.secretKey)),
    );
  });

  it.each([
    ['the attendant', () => attendant],
    ['another attendant of the organization', () => colleague],
    ['the collaborator', () => collaborator],
    ['the patient', () => patient],
  ])('shows the session to %s', async (_name, who) => {
    const reply = await env.request<EmergencySession>(
      c.sessionGet.subject,
      { sessionId: session.sessionId },
      who().actor,
    );
    expect(data(reply).sessionId).toBe(session.sessionId);
  });

  it.each([
    ['an attendant of another organization', () => env.enroll('attendant')],
    ['another collaborator', () => secondCollaborator],
    ['another patient', () => env.enroll('patient')],
  ])('tells %s it does not exist', async (_name, who) => {
    const reply = await env.request(
      c.sessionGet.subject,
      { sessionId: session.sessionId },
      who().actor,
    );
    expect(refusal(reply).code).toBe('NOT_FOUND');
  });

  it("lists the organization's open sessions to its attendants, paged by id", async () => {
    const first = data(
      await env.request<EmergencySessionList>(
        c.sessionList.subject,
        { status: 'open', limit: 1 },
        colleague.actor,
      ),
    );
    expect(first.items).toHaveLength(1);
    expect(first.next).toBe(first.items[0]!.sessionId);
    const all = data(
      await env.request<EmergencySessionList>(
        c.sessionList.subject,
        { limit: 200 },
        colleague.actor,
      ),
    );
    expect(all.items.map((s) => s.sessionId)).toContain(session.sessionId);
    expect(all.items.every((s) => s.organizationId === organizationId && s.status === 'open')).toBe(
      true,
    );
    const ids = all.items.map((s) => s.sessionId);
    expect(ids).toEqual([...ids].sort());
    const stranger = data(
      await env.request<EmergencySessionList>(
        c.sessionList.subject,
        {},
        env.enroll('attendant').actor,
      ),
    );
    expect(stranger.items).toEqual([]);
  });

  it('refuses the list to anyone but an attendant', async () => {
    const reply = await env.request(c.sessionList.subject, {}, collaborator.actor);
    expect(refusal(reply).code).toBe('FORBIDDEN');
  });
});

describe('callcenter.session.reassign and close', () => {
  async function openOne(): Promise<EmergencySession> {
    return data(
      await open(openRequest(openingOf(patient, collaborator), attendant.keys.signing.secretKey)),
    );
  }

  it('hands the session to another collaborator, on chain too', async () => {
    const session = await openOne();
    const reply = await env.request<EmergencySession>(
      c.sessionReassign.subject,
      reassignRequest(
        session.sessionId,
        secondCollaborator.resolved.id,
        colleague.keys.signing.secretKey,
      ),
      colleague.actor,
    );
    expect(data(reply).collaboratorId).toBe(secondCollaborator.resolved.id);
    const log = env.emergencyAccessLog();
    const [event] = await eventually(async () => {
      const found = (await log.queryFilter(
        log.filters['SessionReassigned']!(null, uuidToBytes32(session.sessionId)),
        0,
      )) as EventLog[];
      return found.length > 0 ? found : undefined;
    });
    expect(event!.args['previousCollaboratorRef']).toBe(collaborator.resolved.participantRef);
    expect(event!.args['collaboratorRef']).toBe(secondCollaborator.resolved.participantRef);
    await eventually(() =>
      env.events.find(
        (e) =>
          e.subject === 'events.session.reassigned' && e.data['sessionId'] === session.sessionId,
      ),
    );
    // The former collaborator no longer sees it; the new one does.
    const former = await env.request(
      c.sessionGet.subject,
      { sessionId: session.sessionId },
      collaborator.actor,
    );
    expect(refusal(former).code).toBe('NOT_FOUND');
    const current = await env.request(
      c.sessionGet.subject,
      { sessionId: session.sessionId },
      secondCollaborator.actor,
    );
    expect(current.ok).toBe(true);
  });

  it('refuses a reassignment by another organization, to the same collaborator, or badly signed', async () => {
    const session = await openOne();
    const outsider = env.enroll('attendant');
    const byOutsider = await env.request(
      c.sessionReassign.subject,
      reassignRequest(
        session.sessionId,
        secondCollaborator.resolved.id,
        outsider.keys.signing.secretKey,
      ),
      outsider.actor,
    );
    expect(refusal(byOutsider).code).toBe('NOT_FOUND');
    const byCollaborator = await env.request(
      c.sessionReassign.subject,
      reassignRequest(
        session.sessionId,
        secondCollaborator.resolved.id,
        collaborator.keys.signing.secretKey,
      ),
      collaborator.actor,
    );
    expect(refusal(byCollaborator).code).toBe('FORBIDDEN');
    const same = await env.request(
      c.sessionReassign.subject,
      reassignRequest(
        session.sessionId,
        collaborator.resolved.id,
        attendant.keys.signing.secretKey,
      ),
      attendant.actor,
    );
    expect(refusal(same)).toEqual({ code: 'CONFLICT', reason: 'SAME_COLLABORATOR' });
    const forged = await env.request(
      c.sessionReassign.subject,
      {
        ...reassignRequest(
          session.sessionId,
          secondCollaborator.resolved.id,
          attendant.keys.signing.secretKey,
        ),
        signature: forgedSignature(),
      },
      attendant.actor,
    );
    expect(refusal(forged)).toEqual({ code: 'VALIDATION_FAILED', reason: 'BAD_SIGNATURE' });
    const toPatient = await env.request(
      c.sessionReassign.subject,
      reassignRequest(session.sessionId, patient.resolved.id, attendant.keys.signing.secretKey),
      attendant.actor,
    );
    expect(refusal(toPatient)).toEqual({ code: 'VALIDATION_FAILED', reason: 'NOT_A_COLLABORATOR' });
    const after = data(
      await env.request<EmergencySession>(
        c.sessionGet.subject,
        { sessionId: session.sessionId },
        attendant.actor,
      ),
    );
    expect(after.collaboratorId).toBe(collaborator.resolved.id);
  });

  it('is closed by its collaborator, on chain with reason Completed; a second close is a CONFLICT', async () => {
    const session = await openOne();
    const closed = data(
      await env.request<EmergencySession>(
        c.sessionClose.subject,
        closeRequest(session.sessionId, 'completed', collaborator.keys.signing.secretKey),
        collaborator.actor,
      ),
    );
    expect(closed).toMatchObject({ status: 'closed', closeReason: 'completed' });
    expect(closed.closedAt).not.toBeNull();
    const [event] = await eventually(async () => {
      const found = await closedEvents(session.sessionId);
      return found.length > 0 ? found : undefined;
    });
    expect(Number(event!.args['closeReason'])).toBe(1);
    const again = await env.request(
      c.sessionClose.subject,
      closeRequest(session.sessionId, 'cancelled', attendant.keys.signing.secretKey),
      attendant.actor,
    );
    expect(refusal(again)).toEqual({ code: 'CONFLICT', reason: 'SESSION_CLOSED' });
    const reassigned = await env.request(
      c.sessionReassign.subject,
      reassignRequest(
        session.sessionId,
        secondCollaborator.resolved.id,
        attendant.keys.signing.secretKey,
      ),
      attendant.actor,
    );
    expect(refusal(reassigned)).toEqual({ code: 'CONFLICT', reason: 'SESSION_CLOSED' });
    await eventually(() =>
      env.events.find(
        (e) => e.subject === 'events.session.closed' && e.data['sessionId'] === session.sessionId,
      ),
    );
  });

  it('is cancelled by an attendant of the organization (reason Cancelled); the patient may not close it', async () => {
    const session = await openOne();
    const byPatient = await env.request(
      c.sessionClose.subject,
      closeRequest(session.sessionId, 'cancelled', patient.keys.signing.secretKey),
      patient.actor,
    );
    expect(refusal(byPatient).code).toBe('FORBIDDEN');
    const forged = await env.request(
      c.sessionClose.subject,
      {
        ...closeRequest(session.sessionId, 'cancelled', colleague.keys.signing.secretKey),
        signature: forgedSignature(),
      },
      colleague.actor,
    );
    expect(refusal(forged)).toEqual({ code: 'VALIDATION_FAILED', reason: 'BAD_SIGNATURE' });
    const closed = data(
      await env.request<EmergencySession>(
        c.sessionClose.subject,
        closeRequest(session.sessionId, 'cancelled', colleague.keys.signing.secretKey),
        colleague.actor,
      ),
    );
    expect(closed.closeReason).toBe('cancelled');
    const [event] = await eventually(async () => {
      const found = await closedEvents(session.sessionId);
      return found.length > 0 ? found : undefined;
    });
    expect(Number(event!.args['closeReason'])).toBe(2);
    const list = data(
      await env.request<EmergencySessionList>(
        c.sessionList.subject,
        { status: 'closed', limit: 200 },
        attendant.actor,
      ),
    );
    expect(list.items.map((s) => s.sessionId)).toContain(session.sessionId);
  });
});

describe('expiry (last: it moves the clocks)', () => {
  it('the sweep expires a session past its expiry and closes it on chain with reason Expired', async () => {
    const short = env.enroll('patient');
    env.policies.set(policyView(short.resolved.id, { maxSessionMinutes: 5 }));
    const session = data(
      await open(openRequest(openingOf(short, collaborator), attendant.keys.signing.secretKey)),
    );
    await env.advance(6 * 60);
    const expired = await eventually(async () => {
      const reply = await env.request<EmergencySession>(
        c.sessionGet.subject,
        { sessionId: session.sessionId },
        attendant.actor,
      );
      const view = data(reply);
      return view.closeReason === 'expired' ? view : undefined;
    });
    expect(expired.status).toBe('expired');
    const [event] = await eventually(async () => {
      const found = await closedEvents(session.sessionId);
      return found.length > 0 ? found : undefined;
    });
    expect(Number(event!.args['closeReason'])).toBe(3);
    const close = await env.request(
      c.sessionClose.subject,
      closeRequest(
        session.sessionId,
        'completed',
        collaborator.keys.signing.secretKey,
        new Date(Date.now() + 6 * 60_000).toISOString(),
      ),
      collaborator.actor,
    );
    expect(refusal(close)).toEqual({ code: 'CONFLICT', reason: 'SESSION_EXPIRED' });
  });
});
