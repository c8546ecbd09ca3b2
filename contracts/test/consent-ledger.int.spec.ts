import { ZeroHash } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ConsentLedger__factory, ConsentStatus } from '../src/index.js';
import { type Ledger, eventsOf, expectRevert, ref, setUpLedger } from './fixture.js';

const iface = ConsentLedger__factory.createInterface();

let ledger: Ledger;

beforeAll(async () => {
  ledger = await setUpLedger();
});

afterAll(async () => {
  ledger?.gas.print('ConsentLedger');
  await ledger?.anvil.stop();
});

async function grant(patientRef: string, consentId: string) {
  const [consentHash, granteeRef] = [ref(), ref()];
  const receipt = await ledger.consenter.send('ConsentLedger.grantConsent', (c, o) =>
    c.consents.grantConsent(patientRef, consentId, consentHash, granteeRef, o),
  );
  return { receipt, consentHash, granteeRef };
}

function revoke(consentId: string, revocationHash = ref()) {
  return ledger.consenter.send('ConsentLedger.revokeConsent', (c, o) =>
    c.consents.revokeConsent(consentId, revocationHash, o),
  );
}

function setPolicy(patientRef: string, policyVersion: number, policyHash = ref()) {
  return ledger.consenter.send('ConsentLedger.setPolicy', (c, o) =>
    c.consents.setPolicy(patientRef, policyHash, policyVersion, o),
  );
}

async function timestampOf(blockNumber: number): Promise<bigint> {
  return BigInt((await ledger.anvil.provider.getBlock(blockNumber))!.timestamp);
}

describe('ConsentLedger consents', () => {
  it('grants a consent and reads its state', async () => {
    const [patientRef, consentId] = [ref(), ref()];
    const { receipt, consentHash, granteeRef } = await grant(patientRef, consentId);
    expect(eventsOf(receipt, iface)).toEqual([
      { name: 'ConsentGranted', args: [patientRef, consentId, consentHash, granteeRef] },
    ]);
    const consent = await ledger.contracts.consents.consent(consentId);
    expect([...consent]).toEqual([
      patientRef,
      BigInt(ConsentStatus.Granted),
      await timestampOf(receipt.blockNumber),
      0n,
    ]);
  });

  it('rejects granting the same consent id twice, also after revocation', async () => {
    const [patientRef, consentId] = [ref(), ref()];
    await grant(patientRef, consentId);
    await expectRevert(grant(patientRef, consentId), iface, 'ConsentAlreadyGranted', [consentId]);
    await revoke(consentId);
    await expectRevert(grant(ref(), consentId), iface, 'ConsentAlreadyGranted', [consentId]);
  });

  it('revokes a granted consent once, under its own patient', async () => {
    const [patientRef, consentId, revocationHash] = [ref(), ref(), ref()];
    await grant(patientRef, consentId);
    const receipt = await revoke(consentId, revocationHash);
    expect(eventsOf(receipt, iface)).toEqual([
      { name: 'ConsentRevoked', args: [patientRef, consentId, revocationHash] },
    ]);
    const consent = await ledger.contracts.consents.consent(consentId);
    expect(consent.status).toBe(BigInt(ConsentStatus.Revoked));
    expect(consent.revokedAt).toBe(await timestampOf(receipt.blockNumber));
    await expectRevert(revoke(consentId), iface, 'ConsentAlreadyRevoked', [consentId]);
  });

  it('rejects revoking a consent never granted', async () => {
    const consentId = ref();
    await expectRevert(revoke(consentId), iface, 'ConsentNotGranted', [consentId]);
    expect((await ledger.contracts.consents.consent(consentId)).status).toBe(
      BigInt(ConsentStatus.None),
    );
  });

  it('rejects zero values', async () => {
    const { consents } = ledger.consenter.contracts;
    const cases: [string, () => Promise<unknown>][] = [
      ['patientRef', () => consents.grantConsent(ZeroHash, ref(), ref(), ref())],
      ['consentId', () => consents.grantConsent(ref(), ZeroHash, ref(), ref())],
      ['consentHash', () => consents.grantConsent(ref(), ref(), ZeroHash, ref())],
      ['granteeRef', () => consents.grantConsent(ref(), ref(), ref(), ZeroHash)],
      ['revocationHash', () => consents.revokeConsent(ref(), ZeroHash)],
      ['patientRef', () => consents.setPolicy(ZeroHash, ref(), 1)],
      ['policyHash', () => consents.setPolicy(ref(), ZeroHash, 1)],
    ];
    for (const [field, call] of cases) {
      await expectRevert(call(), iface, 'ZeroValue', [field]);
    }
  });
});

describe('ConsentLedger emergency policies', () => {
  it('sets increasing policy versions and reads the current one', async () => {
    const patientRef = ref();
    expect([...(await ledger.contracts.consents.policy(patientRef))]).toEqual([ZeroHash, 0n, 0n]);
    const policyHash = ref();
    const receipt = await setPolicy(patientRef, 1, policyHash);
    expect(eventsOf(receipt, iface)).toEqual([
      { name: 'PolicySet', args: [patientRef, policyHash, 1n] },
    ]);
    const v3Hash = ref();
    const v3 = await setPolicy(patientRef, 3, v3Hash);
    expect([...(await ledger.contracts.consents.policy(patientRef))]).toEqual([
      v3Hash,
      3n,
      await timestampOf(v3.blockNumber),
    ]);
  });

  it('rejects a policy version that does not increase', async () => {
    const patientRef = ref();
    await expectRevert(setPolicy(patientRef, 0), iface, 'PolicyVersionNotIncreasing', [
      patientRef,
      0n,
      0n,
    ]);
    await setPolicy(patientRef, 2);
    await expectRevert(setPolicy(patientRef, 2), iface, 'PolicyVersionNotIncreasing', [
      patientRef,
      2n,
      2n,
    ]);
    await expectRevert(setPolicy(patientRef, 1), iface, 'PolicyVersionNotIncreasing', [
      patientRef,
      2n,
      1n,
    ]);
  });
});
