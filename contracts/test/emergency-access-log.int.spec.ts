import { ZeroHash, encodeBytes32String } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  CloseReason,
  EmergencyAccessLog__factory,
  ReviewOutcome,
  Roles,
  SessionStatus,
} from '../src/index.js';
import { type Ledger, eventsOf, expectRevert, ref, setUpLedger } from './fixture.js';

const iface = EmergencyAccessLog__factory.createInterface();
const REASON_ETREAT = encodeBytes32String('ETREAT');
const HOUR = 3_600;

let ledger: Ledger;

beforeAll(async () => {
  ledger = await setUpLedger();
});

afterAll(async () => {
  ledger?.gas.print('EmergencyAccessLog');
  await ledger?.anvil.stop();
});

async function open(ttlSeconds = HOUR) {
  const [sessionId, patientRef, attendantRef, collaboratorRef] = [ref(), ref(), ref(), ref()];
  const expiresAt = BigInt((await ledger.anvil.now()) + ttlSeconds);
  const receipt = await ledger.callCenter.send('EmergencyAccessLog.openSession', (c, o) =>
    c.emergency.openSession(
      sessionId,
      patientRef,
      attendantRef,
      collaboratorRef,
      REASON_ETREAT,
      expiresAt,
      o,
    ),
  );
  return { receipt, sessionId, patientRef, attendantRef, collaboratorRef, expiresAt };
}

function release(server: 0 | 1, sessionId: string, requestId: string, recordIds: string[]) {
  const sender = ledger.servers[server];
  const serverRef = serverRefs[server];
  return sender.send(`EmergencyAccessLog.releaseShares (${recordIds.length} records)`, (c, o) =>
    c.emergency.releaseShares(sessionId, serverRef, requestId, recordIds, o),
  );
}

function reassign(sessionId: string, collaboratorRef: string) {
  return ledger.callCenter.send('EmergencyAccessLog.reassignSession', (c, o) =>
    c.emergency.reassignSession(sessionId, collaboratorRef, o),
  );
}

function close(sessionId: string, reason: CloseReason) {
  return ledger.callCenter.send('EmergencyAccessLog.closeSession', (c, o) =>
    c.emergency.closeSession(sessionId, reason, o),
  );
}

function review(sessionId: string, outcome: ReviewOutcome, reviewHash = ref()) {
  return ledger.reviewer.send('EmergencyAccessLog.reviewSession', (c, o) =>
    c.emergency.reviewSession(sessionId, outcome, reviewHash, o),
  );
}

async function timestampOf(blockNumber: number): Promise<bigint> {
  return BigInt((await ledger.anvil.provider.getBlock(blockNumber))!.timestamp);
}

const serverRefs = [ref(), ref()] as const;

describe('EmergencyAccessLog sessions', () => {
  it('opens a session and reads it back', async () => {
    const s = await open();
    expect(eventsOf(s.receipt, iface)).toEqual([
      {
        name: 'SessionOpened',
        args: [
          s.patientRef,
          s.sessionId,
          s.attendantRef,
          s.collaboratorRef,
          REASON_ETREAT,
          s.expiresAt,
        ],
      },
    ]);
    expect([...(await ledger.contracts.emergency.session(s.sessionId))]).toEqual([
      BigInt(SessionStatus.Open),
      s.patientRef,
      s.attendantRef,
      s.collaboratorRef,
      await timestampOf(s.receipt.blockNumber),
      s.expiresAt,
      0n,
    ]);
  });

  it('reads an unknown session as None with zero values', async () => {
    expect([...(await ledger.contracts.emergency.session(ref()))]).toEqual([
      BigInt(SessionStatus.None),
      ZeroHash,
      ZeroHash,
      ZeroHash,
      0n,
      0n,
      0n,
    ]);
  });

  it('rejects opening a session id twice', async () => {
    const s = await open();
    await expectRevert(
      ledger.callCenter.contracts.emergency.openSession(
        s.sessionId,
        ref(),
        ref(),
        ref(),
        REASON_ETREAT,
        s.expiresAt,
      ),
      iface,
      'SessionAlreadyExists',
      [s.sessionId],
    );
  });

  it('rejects an expiry that is not in the future, and zero values', async () => {
    const { emergency } = ledger.callCenter.contracts;
    const now = BigInt(await ledger.anvil.now());
    await expectRevert(
      emergency.openSession(ref(), ref(), ref(), ref(), REASON_ETREAT, now),
      iface,
      'InvalidExpiry',
      [now],
    );
    const later = now + BigInt(HOUR);
    const cases: [string, () => Promise<unknown>][] = [
      ['sessionId', () => emergency.openSession(ZeroHash, ref(), ref(), ref(), ref(), later)],
      ['patientRef', () => emergency.openSession(ref(), ZeroHash, ref(), ref(), ref(), later)],
      ['attendantRef', () => emergency.openSession(ref(), ref(), ZeroHash, ref(), ref(), later)],
      ['collaboratorRef', () => emergency.openSession(ref(), ref(), ref(), ZeroHash, ref(), later)],
      ['reasonCode', () => emergency.openSession(ref(), ref(), ref(), ref(), ZeroHash, later)],
      ['reason', () => emergency.closeSession(ref(), CloseReason.None)],
    ];
    for (const [field, call] of cases) {
      await expectRevert(call(), iface, 'ZeroValue', [field]);
    }
  });

  it('closes a session once and records when', async () => {
    const s = await open();
    const receipt = await close(s.sessionId, CloseReason.Completed);
    expect(eventsOf(receipt, iface)).toEqual([
      { name: 'SessionClosed', args: [s.patientRef, s.sessionId, BigInt(CloseReason.Completed)] },
    ]);
    const view = await ledger.contracts.emergency.session(s.sessionId);
    expect(view.status).toBe(BigInt(SessionStatus.Closed));
    expect(view.closedAt).toBe(await timestampOf(receipt.blockNumber));
    await expectRevert(close(s.sessionId, CloseReason.Cancelled), iface, 'SessionAlreadyClosed', [
      s.sessionId,
    ]);
  });

  it('rejects closing an unknown session, or as Expired before expiry', async () => {
    const unknown = ref();
    await expectRevert(close(unknown, CloseReason.Completed), iface, 'SessionNotFound', [unknown]);
    const s = await open();
    await expectRevert(close(s.sessionId, CloseReason.Expired), iface, 'SessionNotExpired', [
      s.sessionId,
      s.expiresAt,
    ]);
  });
});

describe('EmergencyAccessLog reassignment', () => {
  it('hands an open session to another collaborator and logs both under the session patient', async () => {
    const s = await open();
    const [second, third] = [ref(), ref()];
    const receipt = await reassign(s.sessionId, second);
    expect(eventsOf(receipt, iface)).toEqual([
      { name: 'SessionReassigned', args: [s.patientRef, s.sessionId, s.collaboratorRef, second] },
    ]);
    expect([...(await ledger.contracts.emergency.session(s.sessionId))]).toEqual([
      BigInt(SessionStatus.Open),
      s.patientRef,
      s.attendantRef,
      second,
      await timestampOf(s.receipt.blockNumber),
      s.expiresAt,
      0n,
    ]);

    const again = await reassign(s.sessionId, third);
    expect(eventsOf(again, iface)).toEqual([
      { name: 'SessionReassigned', args: [s.patientRef, s.sessionId, second, third] },
    ]);
    expect((await ledger.contracts.emergency.session(s.sessionId)).collaboratorRef).toBe(third);
  });

  it('rejects the current collaborator with SameCollaborator, and a zero collaborator', async () => {
    const s = await open();
    await expectRevert(reassign(s.sessionId, s.collaboratorRef), iface, 'SameCollaborator', [
      s.sessionId,
    ]);
    await expectRevert(reassign(s.sessionId, ZeroHash), iface, 'ZeroValue', ['collaboratorRef']);
    expect((await ledger.contracts.emergency.session(s.sessionId)).collaboratorRef).toBe(
      s.collaboratorRef,
    );
  });

  it('rejects an unknown, closed or expired session', async () => {
    const unknown = ref();
    await expectRevert(reassign(unknown, ref()), iface, 'SessionNotFound', [unknown]);

    const closed = await open();
    await close(closed.sessionId, CloseReason.Cancelled);
    await expectRevert(reassign(closed.sessionId, ref()), iface, 'SessionAlreadyClosed', [
      closed.sessionId,
    ]);

    const expiring = await open(30);
    await ledger.anvil.increaseTime(31);
    await expectRevert(reassign(expiring.sessionId, ref()), iface, 'SessionExpired', [
      expiring.sessionId,
      expiring.expiresAt,
    ]);
    // Still expired, not closed: the expiry sweep can close it as Expired.
    await close(expiring.sessionId, CloseReason.Expired);
  });

  it('needs SESSION_ROLE: the release and review writers of the same contract are refused', async () => {
    const s = await open();
    for (const other of [ledger.servers[0], ledger.reviewer]) {
      await expectRevert(
        other.contracts.emergency.reassignSession(s.sessionId, ref()),
        iface,
        'AccessControlUnauthorizedAccount',
        [other.address, Roles.SESSION_ROLE],
      );
    }
    expect((await ledger.contracts.emergency.session(s.sessionId)).collaboratorRef).toBe(
      s.collaboratorRef,
    );
  });
});

describe('EmergencyAccessLog share releases', () => {
  it('logs each server release under the session patient', async () => {
    const s = await open();
    const [requestId, recordIds] = [ref(), [ref(), ref(), ref()]];
    const receipt = await release(0, s.sessionId, requestId, recordIds);
    expect(eventsOf(receipt, iface)).toEqual([
      {
        name: 'SharesReleased',
        args: [s.patientRef, s.sessionId, serverRefs[0], requestId, recordIds],
      },
    ]);
    const { emergency } = ledger.contracts;
    expect(await emergency.isReleased(s.sessionId, serverRefs[0], requestId)).toBe(true);
    expect(await emergency.isReleased(s.sessionId, serverRefs[1], requestId)).toBe(false);

    // Another server for the same request, and the same server for a new request, are distinct.
    await release(1, s.sessionId, requestId, recordIds);
    await release(0, s.sessionId, ref(), [ref()]);
  });

  it('rejects an exact duplicate release with SharesAlreadyReleased', async () => {
    const s = await open();
    const requestId = ref();
    await release(0, s.sessionId, requestId, [ref()]);
    await expectRevert(
      release(0, s.sessionId, requestId, [ref()]),
      iface,
      'SharesAlreadyReleased',
      [s.sessionId, serverRefs[0], requestId],
    );
  });

  it('rejects a release for an unknown or closed session, and empty or zero arguments', async () => {
    const unknown = ref();
    await expectRevert(release(0, unknown, ref(), [ref()]), iface, 'SessionNotFound', [unknown]);
    const s = await open();
    await close(s.sessionId, CloseReason.Completed);
    await expectRevert(release(0, s.sessionId, ref(), [ref()]), iface, 'SessionAlreadyClosed', [
      s.sessionId,
    ]);
    const live = await open();
    const { emergency } = ledger.servers[0].contracts;
    const cases: [string, () => Promise<unknown>][] = [
      ['serverRef', () => emergency.releaseShares(live.sessionId, ZeroHash, ref(), [ref()])],
      ['requestId', () => emergency.releaseShares(live.sessionId, ref(), ZeroHash, [ref()])],
      ['recordIds', () => emergency.releaseShares(live.sessionId, ref(), ref(), [])],
    ];
    for (const [field, call] of cases) {
      await expectRevert(call(), iface, 'ZeroValue', [field]);
    }
  });

  it('measures a release of 100 records', async () => {
    const s = await open();
    const recordIds = Array.from({ length: 100 }, () => ref());
    const receipt = await release(1, s.sessionId, ref(), recordIds);
    const [event] = eventsOf(receipt, iface);
    expect(event?.args[4]).toEqual(recordIds);
  });
});

describe('EmergencyAccessLog expiry', () => {
  it('treats a session past expiresAt as expired: no release, only an Expired close', async () => {
    const s = await open(60);
    const requestId = ref();
    await release(0, s.sessionId, requestId, [ref()]);
    await ledger.anvil.increaseTime(61);

    expect((await ledger.contracts.emergency.session(s.sessionId)).status).toBe(
      BigInt(SessionStatus.Expired),
    );
    await expectRevert(release(1, s.sessionId, requestId, [ref()]), iface, 'SessionExpired', [
      s.sessionId,
      s.expiresAt,
    ]);
    await expectRevert(close(s.sessionId, CloseReason.Completed), iface, 'SessionExpired', [
      s.sessionId,
      s.expiresAt,
    ]);
    const receipt = await close(s.sessionId, CloseReason.Expired);
    expect(eventsOf(receipt, iface)).toEqual([
      { name: 'SessionClosed', args: [s.patientRef, s.sessionId, BigInt(CloseReason.Expired)] },
    ]);
    expect((await ledger.contracts.emergency.session(s.sessionId)).status).toBe(
      BigInt(SessionStatus.Closed),
    );
  });
});

describe('EmergencyAccessLog reviews', () => {
  it('logs the patient review of a closed session once', async () => {
    const s = await open();
    await close(s.sessionId, CloseReason.Completed);
    const reviewHash = ref();
    const receipt = await review(s.sessionId, ReviewOutcome.Acknowledged, reviewHash);
    expect(eventsOf(receipt, iface)).toEqual([
      {
        name: 'SessionReviewed',
        args: [s.patientRef, s.sessionId, BigInt(ReviewOutcome.Acknowledged), reviewHash],
      },
    ]);
    expect(await ledger.contracts.emergency.reviewOf(s.sessionId)).toBe(
      BigInt(ReviewOutcome.Acknowledged),
    );
    await expectRevert(
      review(s.sessionId, ReviewOutcome.Disputed),
      iface,
      'SessionAlreadyReviewed',
      [s.sessionId],
    );
  });

  it('accepts a dispute of an expired session that was never closed', async () => {
    const s = await open(30);
    await ledger.anvil.increaseTime(31);
    await review(s.sessionId, ReviewOutcome.Disputed);
    expect(await ledger.contracts.emergency.reviewOf(s.sessionId)).toBe(
      BigInt(ReviewOutcome.Disputed),
    );
  });

  it('rejects reviewing an open or unknown session, and zero arguments', async () => {
    const s = await open();
    await expectRevert(review(s.sessionId, ReviewOutcome.Disputed), iface, 'SessionStillOpen', [
      s.sessionId,
    ]);
    const unknown = ref();
    await expectRevert(review(unknown, ReviewOutcome.Disputed), iface, 'SessionNotFound', [
      unknown,
    ]);
    await expectRevert(review(s.sessionId, ReviewOutcome.None), iface, 'ZeroValue', ['outcome']);
    await expectRevert(
      review(s.sessionId, ReviewOutcome.Acknowledged, ZeroHash),
      iface,
      'ZeroValue',
      ['reviewHash'],
    );
  });
});
