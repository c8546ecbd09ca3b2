import { ZeroHash } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ParticipantRegistry__factory, ParticipantStatus } from '../src/index.js';
import { type Ledger, eventsOf, expectRevert, ref, setUpLedger } from './fixture.js';

const iface = ParticipantRegistry__factory.createInterface();
const ROLE_PATIENT = 1;
const ROLE_PHYSICIAN = 2;
const DAY = 86_400;

let ledger: Ledger;

beforeAll(async () => {
  ledger = await setUpLedger();
});

afterAll(async () => {
  ledger?.gas.print('ParticipantRegistry');
  await ledger?.anvil.stop();
});

async function attest(participantRef: string, validFor = 365 * DAY) {
  const attestationHash = ref();
  const validUntil = BigInt((await ledger.anvil.now()) + validFor);
  const receipt = await ledger.attester.send('ParticipantRegistry.attestParticipant', (c, o) =>
    c.participants.attestParticipant(participantRef, attestationHash, ROLE_PATIENT, validUntil, o),
  );
  return { receipt, attestationHash, validUntil };
}

describe('ParticipantRegistry', () => {
  it('attests a participant and reports it active', async () => {
    const participantRef = ref();
    const { receipt, attestationHash, validUntil } = await attest(participantRef);
    const block = await ledger.anvil.provider.getBlock(receipt.blockNumber);

    expect(eventsOf(receipt, iface)).toEqual([
      {
        name: 'ParticipantAttested',
        args: [participantRef, attestationHash, BigInt(ROLE_PATIENT), validUntil],
      },
    ]);
    const { participants } = ledger.contracts;
    expect([...(await participants.status(participantRef))]).toEqual([
      BigInt(ParticipantStatus.Active),
      attestationHash,
      BigInt(block!.timestamp),
    ]);
    const entry = await participants.participant(participantRef);
    expect(entry.role).toBe(BigInt(ROLE_PATIENT));
    expect(entry.validUntil).toBe(validUntil);
    expect(await participants.isActive(participantRef)).toBe(true);
  });

  it('reports an unknown reference as None with zero values', async () => {
    const unknown = ref();
    expect([...(await ledger.contracts.participants.status(unknown))]).toEqual([
      BigInt(ParticipantStatus.None),
      ZeroHash,
      0n,
    ]);
    expect(await ledger.contracts.participants.isActive(unknown)).toBe(false);
  });

  it('rejects attesting a reference twice, also after revocation', async () => {
    const participantRef = ref();
    await attest(participantRef);
    await expectRevert(attest(participantRef), iface, 'ParticipantAlreadyAttested', [
      participantRef,
    ]);
    await ledger.attester.send('ParticipantRegistry.revokeParticipant', (c, o) =>
      c.participants.revokeParticipant(participantRef, ZeroHash, o),
    );
    await expectRevert(attest(participantRef), iface, 'ParticipantAlreadyAttested', [
      participantRef,
    ]);
  });

  it('updates an active participant (re-attestation)', async () => {
    const participantRef = ref();
    await attest(participantRef);
    const newHash = ref();
    const validUntil = BigInt((await ledger.anvil.now()) + 30 * DAY);
    const receipt = await ledger.attester.send('ParticipantRegistry.updateParticipant', (c, o) =>
      c.participants.updateParticipant(participantRef, newHash, ROLE_PHYSICIAN, validUntil, o),
    );
    expect(eventsOf(receipt, iface)).toEqual([
      {
        name: 'ParticipantUpdated',
        args: [participantRef, newHash, BigInt(ROLE_PHYSICIAN), validUntil],
      },
    ]);
    const entry = await ledger.contracts.participants.participant(participantRef);
    expect(entry.attestationHash).toBe(newHash);
    expect(entry.role).toBe(BigInt(ROLE_PHYSICIAN));
    expect(entry.status).toBe(BigInt(ParticipantStatus.Active));
  });

  it('revokes a participant once', async () => {
    const participantRef = ref();
    const { attestationHash } = await attest(participantRef);
    const reasonHash = ref();
    const receipt = await ledger.attester.send('ParticipantRegistry.revokeParticipant', (c, o) =>
      c.participants.revokeParticipant(participantRef, reasonHash, o),
    );
    expect(eventsOf(receipt, iface)).toEqual([
      { name: 'ParticipantRevoked', args: [participantRef, reasonHash] },
    ]);
    const [status, hash] = await ledger.contracts.participants.status(participantRef);
    expect(status).toBe(BigInt(ParticipantStatus.Revoked));
    expect(hash).toBe(attestationHash);
    expect(await ledger.contracts.participants.isActive(participantRef)).toBe(false);

    const { participants } = ledger.attester.contracts;
    await expectRevert(
      participants.revokeParticipant(participantRef, ref()),
      iface,
      'ParticipantAlreadyRevoked',
      [participantRef],
    );
    await expectRevert(
      participants.updateParticipant(participantRef, ref(), ROLE_PATIENT, 2n ** 40n),
      iface,
      'ParticipantAlreadyRevoked',
      [participantRef],
    );
  });

  it('rejects updating or revoking an unknown reference', async () => {
    const unknown = ref();
    const { participants } = ledger.attester.contracts;
    await expectRevert(
      participants.updateParticipant(unknown, ref(), ROLE_PATIENT, 2n ** 40n),
      iface,
      'ParticipantNotFound',
      [unknown],
    );
    await expectRevert(
      participants.revokeParticipant(unknown, ref()),
      iface,
      'ParticipantNotFound',
      [unknown],
    );
  });

  it('rejects zero values and a validity in the past', async () => {
    const { participants } = ledger.attester.contracts;
    const later = 2n ** 40n;
    await expectRevert(
      participants.attestParticipant(ZeroHash, ref(), ROLE_PATIENT, later),
      iface,
      'ZeroValue',
      ['participantRef'],
    );
    await expectRevert(
      participants.attestParticipant(ref(), ZeroHash, ROLE_PATIENT, later),
      iface,
      'ZeroValue',
      ['attestationHash'],
    );
    await expectRevert(participants.attestParticipant(ref(), ref(), 0, later), iface, 'ZeroValue', [
      'role',
    ]);
    const now = BigInt(await ledger.anvil.now());
    await expectRevert(
      participants.attestParticipant(ref(), ref(), ROLE_PATIENT, now),
      iface,
      'InvalidValidity',
      [now],
    );
  });

  it('reports a participant past validUntil as not active', async () => {
    const participantRef = ref();
    await attest(participantRef, 60);
    expect(await ledger.contracts.participants.isActive(participantRef)).toBe(true);
    await ledger.anvil.increaseTime(61);
    expect(await ledger.contracts.participants.isActive(participantRef)).toBe(false);
    const [status] = await ledger.contracts.participants.status(participantRef);
    expect(status).toBe(BigInt(ParticipantStatus.Active));
  });
});
