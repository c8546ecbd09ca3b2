import { type ContractTransactionReceipt, type Interface, encodeBytes32String } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  CloseReason,
  ConsentLedger__factory,
  EmergencyAccessLog__factory,
  ParticipantRegistry__factory,
  RecordRegistry__factory,
  ReviewOutcome,
  patientAuditFilter,
} from '../src/index.js';
import { type Ledger, ref, setUpLedger } from './fixture.js';

const DAY = 86_400;

let ledger: Ledger;

beforeAll(async () => {
  ledger = await setUpLedger();
});

afterAll(async () => {
  ledger?.gas.print('audit trail');
  await ledger?.anvil.stop();
});

type Step = () => Promise<ContractTransactionReceipt>;

/** Every kind of patient event, once or twice, for one patient; returns the steps in order. */
function patientStory(patientRef: string): { steps: Step[]; recordIds: string[] } {
  const { attester, anchorer, consenter, callCenter, servers, reviewer } = ledger;
  const [recordA, recordB, consentId, sessionId] = [ref(), ref(), ref(), ref()];
  let expiresAt = 0n;
  const steps: Step[] = [
    async () => {
      const validUntil = BigInt((await ledger.anvil.now()) + 365 * DAY);
      return attester.send('attestParticipant', (c, o) =>
        c.participants.attestParticipant(patientRef, ref(), 1, validUntil, o),
      );
    },
    () =>
      anchorer.send('anchorRecord', (c, o) =>
        c.records.anchorRecord(patientRef, recordA, 1, ref(), ref(), ref(), o),
      ),
    () =>
      anchorer.send('anchorRecord', (c, o) =>
        c.records.anchorRecord(patientRef, recordB, 1, ref(), ref(), ref(), o),
      ),
    () =>
      consenter.send('grantConsent', (c, o) =>
        c.consents.grantConsent(patientRef, consentId, ref(), ref(), o),
      ),
    () => consenter.send('revokeConsent', (c, o) => c.consents.revokeConsent(consentId, ref(), o)),
    () => consenter.send('setPolicy', (c, o) => c.consents.setPolicy(patientRef, ref(), 1, o)),
    async () => {
      expiresAt = BigInt((await ledger.anvil.now()) + DAY);
      return callCenter.send('openSession', (c, o) =>
        c.emergency.openSession(
          sessionId,
          patientRef,
          ref(),
          ref(),
          encodeBytes32String('BTG'),
          expiresAt,
          o,
        ),
      );
    },
    () =>
      callCenter.send('reassignSession', (c, o) =>
        c.emergency.reassignSession(sessionId, ref(), o),
      ),
    () =>
      servers[0].send('releaseShares', (c, o) =>
        c.emergency.releaseShares(sessionId, ref(), ref(), [recordA, recordB], o),
      ),
    () =>
      servers[1].send('releaseShares', (c, o) =>
        c.emergency.releaseShares(sessionId, ref(), ref(), [recordA, recordB], o),
      ),
    () =>
      callCenter.send('closeSession', (c, o) =>
        c.emergency.closeSession(sessionId, CloseReason.Completed, o),
      ),
    () =>
      reviewer.send('reviewSession', (c, o) =>
        c.emergency.reviewSession(sessionId, ReviewOutcome.Acknowledged, ref(), o),
      ),
  ];
  return { steps, recordIds: [recordA, recordB] };
}

const expectedTrail = [
  'ParticipantAttested',
  'RecordAnchored',
  'RecordAnchored',
  'ConsentGranted',
  'ConsentRevoked',
  'PolicySet',
  'SessionOpened',
  'SessionReassigned',
  'SharesReleased',
  'SharesReleased',
  'SessionClosed',
  'SessionReviewed',
];

interface Found {
  name: string;
  patientRef: string;
  blockNumber: number;
  index: number;
}

describe('audit trail by patientRef', () => {
  const [alice, bob] = [ref(), ref()];
  let fromBlock = 0;
  let toBlock = 0;
  let policyBlock = 0;
  let aliceRecords: string[] = [];

  beforeAll(async () => {
    fromBlock = (await ledger.anvil.provider.getBlockNumber()) + 1;
    const a = patientStory(alice);
    const b = patientStory(bob);
    aliceRecords = a.recordIds;
    // Interleave the two patients so their events share blocks ranges.
    for (let i = 0; i < a.steps.length; i += 1) {
      const receipt = await a.steps[i]!();
      if (expectedTrail[i] === 'PolicySet') policyBlock = receipt.blockNumber;
      await b.steps[i]!();
    }
    toBlock = await ledger.anvil.provider.getBlockNumber();
  });

  it('finds only that patient’s events with indexed-topic filters on each contract', async () => {
    const { participants, records, consents, emergency } = ledger.contracts;
    const queries = [
      participants.queryFilter(participants.filters.ParticipantAttested(alice), fromBlock, toBlock),
      participants.queryFilter(participants.filters.ParticipantUpdated(alice), fromBlock, toBlock),
      participants.queryFilter(participants.filters.ParticipantRevoked(alice), fromBlock, toBlock),
      records.queryFilter(records.filters.RecordAnchored(alice), fromBlock, toBlock),
      consents.queryFilter(consents.filters.ConsentGranted(alice), fromBlock, toBlock),
      consents.queryFilter(consents.filters.ConsentRevoked(alice), fromBlock, toBlock),
      consents.queryFilter(consents.filters.PolicySet(alice), fromBlock, toBlock),
      emergency.queryFilter(emergency.filters.SessionOpened(alice), fromBlock, toBlock),
      emergency.queryFilter(emergency.filters.SessionReassigned(alice), fromBlock, toBlock),
      emergency.queryFilter(emergency.filters.SharesReleased(alice), fromBlock, toBlock),
      emergency.queryFilter(emergency.filters.SessionClosed(alice), fromBlock, toBlock),
      emergency.queryFilter(emergency.filters.SessionReviewed(alice), fromBlock, toBlock),
    ];
    const found: Found[] = (await Promise.all(queries)).flat().map((e) => ({
      name: e.eventName,
      patientRef: String(e.args[0]),
      blockNumber: e.blockNumber,
      index: e.index,
    }));
    found.sort((x, y) => x.blockNumber - y.blockNumber || x.index - y.index);
    expect(found.map((e) => e.name)).toEqual(expectedTrail);
    expect(new Set(found.map((e) => e.patientRef))).toEqual(new Set([alice]));

    const anchored = await records.queryFilter(
      records.filters.RecordAnchored(alice),
      fromBlock,
      toBlock,
    );
    expect(anchored.map((e) => e.args.recordId)).toEqual(aliceRecords);
  });

  it('reads the whole trail of a patient with one log filter over the four contracts', async () => {
    const { participants, records, consents, emergency } = ledger.contracts;
    const addresses = await Promise.all([
      participants.getAddress(),
      records.getAddress(),
      consents.getAddress(),
      emergency.getAddress(),
    ]);
    const interfaces = new Map<string, Interface>(
      [
        ParticipantRegistry__factory.createInterface(),
        RecordRegistry__factory.createInterface(),
        ConsentLedger__factory.createInterface(),
        EmergencyAccessLog__factory.createInterface(),
      ].map((iface, i) => [addresses[i]!.toLowerCase(), iface]),
    );
    const decode = async (patientRef: string, to: number) => {
      const logs = await ledger.anvil.provider.getLogs(
        patientAuditFilter({ addresses, patientRef, fromBlock, toBlock: to }),
      );
      return logs.map((log) => {
        const parsed = interfaces.get(log.address.toLowerCase())!.parseLog(log)!;
        return { name: parsed.name, patientRef: String(parsed.args[0]) };
      });
    };

    for (const patientRef of [alice, bob]) {
      const trail = await decode(patientRef, toBlock);
      expect(trail.map((e) => e.name)).toEqual(expectedTrail);
      expect(new Set(trail.map((e) => e.patientRef))).toEqual(new Set([patientRef]));
    }
    // The block range bounds the query: up to the policy, nothing of the session yet.
    const early = await decode(alice, policyBlock);
    expect(early.map((e) => e.name)).toEqual(expectedTrail.slice(0, 6));
    expect(await decode(ref(), toBlock)).toEqual([]);
  });
});
