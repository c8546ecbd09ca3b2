import type { ContractTransactionResponse, Interface } from 'ethers';
import { afterAll, beforeAll, describe, it } from 'vitest';

import {
  CloseReason,
  ConsentLedger__factory,
  type ContractName,
  EmergencyAccessLog__factory,
  ParticipantRegistry__factory,
  RecordRegistry__factory,
  ReviewOutcome,
  duplicateErrors,
} from '../src/index.js';
import {
  type Contracts,
  type Ledger,
  type Sender,
  expectRevert,
  ref,
  setUpLedger,
} from './fixture.js';

const interfaces: Record<ContractName, Interface> = {
  ParticipantRegistry: ParticipantRegistry__factory.createInterface(),
  RecordRegistry: RecordRegistry__factory.createInterface(),
  ConsentLedger: ConsentLedger__factory.createInterface(),
  EmergencyAccessLog: EmergencyAccessLog__factory.createInterface(),
};

let ledger: Ledger;

beforeAll(async () => {
  ledger = await setUpLedger();
});

afterAll(async () => {
  ledger?.gas.print('duplicates');
  await ledger?.anvil.stop();
});

interface Case {
  readonly sender: () => Sender;
  /** The write; the same ids each time, fresh hashes (a retry need not carry the same payload). */
  readonly call: (c: Contracts, o?: { nonce?: number }) => Promise<ContractTransactionResponse>;
  readonly errorArgs: readonly unknown[];
}

const [patientRef, consentId, sessionId] = [ref(), ref(), ref()];
const [recordId, serverRef, requestId, collaboratorRef] = [ref(), ref(), ref(), ref()];
const FAR = 2n ** 40n;

/**
 * One case per entry of `duplicateErrors` (the type requires them all). The cases share ids and run in this order, so each
 * finds what it needs mined by the earlier ones (a consent before its revocation, an open session
 * before a reassignment or a release, a closed one before a review).
 */
const cases: { [C in ContractName]: Record<keyof (typeof duplicateErrors)[C], Case> } = {
  ParticipantRegistry: {
    attestParticipant: {
      sender: () => ledger.attester,
      call: (c, o = {}) => c.participants.attestParticipant(patientRef, ref(), 1, FAR, o),
      errorArgs: [patientRef],
    },
    revokeParticipant: {
      sender: () => ledger.attester,
      call: (c, o = {}) => c.participants.revokeParticipant(patientRef, ref(), o),
      errorArgs: [patientRef],
    },
  },
  RecordRegistry: {
    anchorRecord: {
      sender: () => ledger.anchorer,
      call: (c, o = {}) => c.records.anchorRecord(patientRef, recordId, 1, ref(), ref(), ref(), o),
      errorArgs: [recordId, 1n],
    },
  },
  ConsentLedger: {
    grantConsent: {
      sender: () => ledger.consenter,
      call: (c, o = {}) => c.consents.grantConsent(patientRef, consentId, ref(), ref(), o),
      errorArgs: [consentId],
    },
    revokeConsent: {
      sender: () => ledger.consenter,
      call: (c, o = {}) => c.consents.revokeConsent(consentId, ref(), o),
      errorArgs: [consentId],
    },
    setPolicy: {
      sender: () => ledger.consenter,
      call: (c, o = {}) => c.consents.setPolicy(patientRef, ref(), 1, o),
      errorArgs: [patientRef, 1n, 1n],
    },
  },
  EmergencyAccessLog: {
    openSession: {
      sender: () => ledger.callCenter,
      call: (c, o = {}) =>
        c.emergency.openSession(sessionId, patientRef, ref(), ref(), ref(), FAR, o),
      errorArgs: [sessionId],
    },
    reassignSession: {
      sender: () => ledger.callCenter,
      call: (c, o = {}) => c.emergency.reassignSession(sessionId, collaboratorRef, o),
      errorArgs: [sessionId],
    },
    releaseShares: {
      sender: () => ledger.servers[0],
      call: (c, o = {}) =>
        c.emergency.releaseShares(sessionId, serverRef, requestId, [recordId], o),
      errorArgs: [sessionId, serverRef, requestId],
    },
    closeSession: {
      sender: () => ledger.callCenter,
      call: (c, o = {}) => c.emergency.closeSession(sessionId, CloseReason.Completed, o),
      errorArgs: [sessionId],
    },
    reviewSession: {
      sender: () => ledger.reviewer,
      call: (c, o = {}) =>
        c.emergency.reviewSession(sessionId, ReviewOutcome.Acknowledged, ref(), o),
      errorArgs: [sessionId],
    },
  },
};

const table = Object.entries(cases).flatMap(([contract, writes]) =>
  Object.entries(writes).map(([write, c]) => {
    const error = (duplicateErrors as Record<string, Record<string, string>>)[contract]![write]!;
    return [`${contract}.${write}`, error, contract as ContractName, c] as const;
  }),
);

describe('a write sent again after it was mined (an outbox retry)', () => {
  it.each(table)('%s reverts with %s', async (label, error, contract, c) => {
    const sender = c.sender();
    await sender.send(label, (contracts, o) => c.call(contracts, o));
    await expectRevert(c.call(sender.contracts), interfaces[contract], error, c.errorArgs);
  });
});
