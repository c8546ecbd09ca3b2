import { ZeroAddress, type ContractTransactionResponse } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  CloseReason,
  ParticipantRegistry__factory,
  ReviewOutcome,
  Roles,
  contractRoles,
} from '../src/index.js';
import { type Contracts, type Ledger, expectRevert, ref, setUpLedger } from './fixture.js';

let ledger: Ledger;

beforeAll(async () => {
  ledger = await setUpLedger();
});

afterAll(async () => {
  ledger?.gas.print('access control');
  await ledger?.anvil.stop();
});

type Write = (c: Contracts) => Promise<ContractTransactionResponse>;

/** Every write function of the four contracts, with the role it needs. */
const writes: [string, string, Write][] = [
  [
    'ParticipantRegistry.attestParticipant',
    Roles.ATTESTER_ROLE,
    (c) => c.participants.attestParticipant(ref(), ref(), 1, 2n ** 40n),
  ],
  [
    'ParticipantRegistry.updateParticipant',
    Roles.ATTESTER_ROLE,
    (c) => c.participants.updateParticipant(ref(), ref(), 1, 2n ** 40n),
  ],
  [
    'ParticipantRegistry.revokeParticipant',
    Roles.ATTESTER_ROLE,
    (c) => c.participants.revokeParticipant(ref(), ref()),
  ],
  [
    'RecordRegistry.anchorRecord',
    Roles.ANCHOR_ROLE,
    (c) => c.records.anchorRecord(ref(), ref(), 1, ref(), ref(), ref()),
  ],
  [
    'RecordRegistry.anchorRecords',
    Roles.ANCHOR_ROLE,
    (c) => c.records.anchorRecords([ref()], [ref()], [1], [ref()], [ref()], [ref()]),
  ],
  [
    'ConsentLedger.grantConsent',
    Roles.CONSENT_ROLE,
    (c) => c.consents.grantConsent(ref(), ref(), ref(), ref()),
  ],
  [
    'ConsentLedger.revokeConsent',
    Roles.CONSENT_ROLE,
    (c) => c.consents.revokeConsent(ref(), ref()),
  ],
  ['ConsentLedger.setPolicy', Roles.CONSENT_ROLE, (c) => c.consents.setPolicy(ref(), ref(), 1)],
  [
    'EmergencyAccessLog.openSession',
    Roles.SESSION_ROLE,
    (c) => c.emergency.openSession(ref(), ref(), ref(), ref(), ref(), 2n ** 40n),
  ],
  [
    'EmergencyAccessLog.reassignSession',
    Roles.SESSION_ROLE,
    (c) => c.emergency.reassignSession(ref(), ref()),
  ],
  [
    'EmergencyAccessLog.closeSession',
    Roles.SESSION_ROLE,
    (c) => c.emergency.closeSession(ref(), CloseReason.Completed),
  ],
  [
    'EmergencyAccessLog.releaseShares',
    Roles.RELEASE_ROLE,
    (c) => c.emergency.releaseShares(ref(), ref(), ref(), [ref()]),
  ],
  [
    'EmergencyAccessLog.reviewSession',
    Roles.REVIEW_ROLE,
    (c) => c.emergency.reviewSession(ref(), ReviewOutcome.Acknowledged, ref()),
  ],
];

const iface = ParticipantRegistry__factory.createInterface();

describe('roles', () => {
  it('exports the role ids the contracts use', async () => {
    const { participants, records, consents, emergency } = ledger.contracts;
    expect(await participants.ATTESTER_ROLE()).toBe(Roles.ATTESTER_ROLE);
    expect(await records.ANCHOR_ROLE()).toBe(Roles.ANCHOR_ROLE);
    expect(await consents.CONSENT_ROLE()).toBe(Roles.CONSENT_ROLE);
    expect(await emergency.SESSION_ROLE()).toBe(Roles.SESSION_ROLE);
    expect(await emergency.RELEASE_ROLE()).toBe(Roles.RELEASE_ROLE);
    expect(await emergency.REVIEW_ROLE()).toBe(Roles.REVIEW_ROLE);
    expect(await emergency.DEFAULT_ADMIN_ROLE()).toBe(Roles.DEFAULT_ADMIN_ROLE);
  });

  it('gives DEFAULT_ADMIN_ROLE to the constructor admin and makes it admin of every writer role', async () => {
    for (const [name, roleNames] of Object.entries(contractRoles)) {
      const contract = {
        ParticipantRegistry: ledger.contracts.participants,
        RecordRegistry: ledger.contracts.records,
        ConsentLedger: ledger.contracts.consents,
        EmergencyAccessLog: ledger.contracts.emergency,
      }[name]!;
      expect(await contract.hasRole(Roles.DEFAULT_ADMIN_ROLE, ledger.admin.address)).toBe(true);
      expect(await contract.hasRole(Roles.DEFAULT_ADMIN_ROLE, ledger.attester.address)).toBe(false);
      for (const roleName of roleNames) {
        expect(await contract.getRoleAdmin(Roles[roleName])).toBe(Roles.DEFAULT_ADMIN_ROLE);
      }
    }
  });

  it('rejects the zero address as admin', async () => {
    const factory = new ParticipantRegistry__factory(ledger.stranger.wallet);
    await expectRevert(
      factory
        .getDeployTransaction(ZeroAddress)
        .then((tx) => ledger.stranger.wallet.estimateGas(tx)),
      iface,
      'ZeroValue',
      ['admin'],
    );
  });
});

describe('writers', () => {
  it.each(writes)('%s from an account without the role reverts', async (_name, role, write) => {
    await expectRevert(
      write(ledger.stranger.contracts),
      iface,
      'AccessControlUnauthorizedAccount',
      [ledger.stranger.address, role],
    );
  });

  it.each(writes)('%s from a writer of another role reverts', async (_name, role, write) => {
    const other = role === Roles.ATTESTER_ROLE ? ledger.callCenter : ledger.attester;
    await expectRevert(write(other.contracts), iface, 'AccessControlUnauthorizedAccount', [
      other.address,
      role,
    ]);
  });
});

describe('role administration', () => {
  it('lets no one but the admin grant a role', async () => {
    const { stranger, attester } = ledger;
    await expectRevert(
      stranger.contracts.participants.grantRole(Roles.ATTESTER_ROLE, stranger.address),
      iface,
      'AccessControlUnauthorizedAccount',
      [stranger.address, Roles.DEFAULT_ADMIN_ROLE],
    );
    // A writer cannot pass its own role on either.
    await expectRevert(
      attester.contracts.participants.grantRole(Roles.ATTESTER_ROLE, stranger.address),
      iface,
      'AccessControlUnauthorizedAccount',
      [attester.address, Roles.DEFAULT_ADMIN_ROLE],
    );
    await expectRevert(
      attester.contracts.participants.grantRole(Roles.DEFAULT_ADMIN_ROLE, attester.address),
      iface,
      'AccessControlUnauthorizedAccount',
      [attester.address, Roles.DEFAULT_ADMIN_ROLE],
    );
    expect(await ledger.contracts.participants.hasRole(Roles.ATTESTER_ROLE, stranger.address)).toBe(
      false,
    );
  });

  it('lets no one but the admin revoke a role', async () => {
    const { stranger, attester } = ledger;
    await expectRevert(
      stranger.contracts.participants.revokeRole(Roles.ATTESTER_ROLE, attester.address),
      iface,
      'AccessControlUnauthorizedAccount',
      [stranger.address, Roles.DEFAULT_ADMIN_ROLE],
    );
    expect(await ledger.contracts.participants.hasRole(Roles.ATTESTER_ROLE, attester.address)).toBe(
      true,
    );
  });

  it('lets the admin grant a writer role, and revoke it again', async () => {
    const { admin, stranger, contracts } = ledger;
    const anchorArgs = () => [ref(), ref(), 1, ref(), ref(), ref()] as const;

    const granted = await admin.send('grantRole', (c, o) =>
      c.records.grantRole(Roles.ANCHOR_ROLE, stranger.address, o),
    );
    const [event] = await contracts.records.queryFilter(
      contracts.records.filters.RoleGranted(Roles.ANCHOR_ROLE, stranger.address),
      granted.blockNumber,
      granted.blockNumber,
    );
    expect(event?.args.sender).toBe(admin.address);
    expect(await contracts.records.hasRole(Roles.ANCHOR_ROLE, stranger.address)).toBe(true);
    await stranger.send('RecordRegistry.anchorRecord', (c, o) =>
      c.records.anchorRecord(...anchorArgs(), o),
    );

    await admin.send('revokeRole', (c, o) =>
      c.records.revokeRole(Roles.ANCHOR_ROLE, stranger.address, o),
    );
    expect(await contracts.records.hasRole(Roles.ANCHOR_ROLE, stranger.address)).toBe(false);
    await expectRevert(
      stranger.contracts.records.anchorRecord(...anchorArgs()),
      iface,
      'AccessControlUnauthorizedAccount',
      [stranger.address, Roles.ANCHOR_ROLE],
    );
  });
});
