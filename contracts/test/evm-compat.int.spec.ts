import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CloseReason, SessionStatus } from '../src/index.js';
import { type Ledger, ref, setUpLedger } from './fixture.js';

/**
 * The contracts are compiled for evmVersion "paris" (no PUSH0, MCOPY or transient storage), so
 * they must deploy and run on a chain without Shanghai/Cancun, like a Besu QBFT network whose
 * genesis stops at London. anvil's `--hardfork london` stands in for it here.
 */
let ledger: Ledger;

beforeAll(async () => {
  ledger = await setUpLedger({ hardfork: 'london' });
});

afterAll(async () => {
  ledger?.gas.print('london hardfork');
  await ledger?.anvil.stop();
});

describe('on a London chain', () => {
  it('deploys the four contracts and runs a write on each', async () => {
    const [patientRef, recordId, sessionId] = [ref(), ref(), ref()];
    const expiresAt = BigInt((await ledger.anvil.now()) + 3_600);
    await ledger.attester.send('attestParticipant', (c, o) =>
      c.participants.attestParticipant(patientRef, ref(), 1, expiresAt, o),
    );
    await ledger.anchorer.send('anchorRecord', (c, o) =>
      c.records.anchorRecord(patientRef, recordId, 1, ref(), ref(), ref(), o),
    );
    await ledger.consenter.send('setPolicy', (c, o) =>
      c.consents.setPolicy(patientRef, ref(), 1, o),
    );
    await ledger.callCenter.send('openSession', (c, o) =>
      c.emergency.openSession(sessionId, patientRef, ref(), ref(), ref(), expiresAt, o),
    );
    await ledger.servers[0].send('releaseShares', (c, o) =>
      c.emergency.releaseShares(sessionId, ref(), ref(), [recordId], o),
    );
    await ledger.callCenter.send('closeSession', (c, o) =>
      c.emergency.closeSession(sessionId, CloseReason.Completed, o),
    );

    const { participants, records, consents, emergency } = ledger.contracts;
    expect(await participants.isActive(patientRef)).toBe(true);
    expect(await records.patientOf(recordId)).toBe(patientRef);
    expect((await consents.policy(patientRef)).policyVersion).toBe(1n);
    expect((await emergency.session(sessionId)).status).toBe(BigInt(SessionStatus.Closed));
  });
});
