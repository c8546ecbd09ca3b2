import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  connectContracts,
  isLedgerError,
  LedgerErrorCode,
  readPatientTrail,
  type TrailEntry,
} from '../src/index.js';
import { ref, setupLedgerEnv, type LedgerEnv } from './ledger-env.js';

let env: LedgerEnv;
const alice = ref('alice', 1);
const bob = ref('bob', 2);

beforeAll(async () => {
  env = await setupLedgerEnv();
  const c = connectContracts(env.deployment, env.writer);
  const expiry = BigInt(Math.floor(Date.now() / 1000) + 3600);
  const anchor = (patientRef: string, recordId: string, version: number, n: number) =>
    c.RecordRegistry.anchorRecord(
      patientRef,
      recordId,
      version,
      ref('h', n),
      ref('author', 1),
      ref('meta', n),
    );
  const sends = [
    () => anchor(alice, ref('rec', 1), 1, 1),
    () => anchor(bob, ref('rec', 2), 1, 2),
    () => c.ConsentLedger.grantConsent(alice, ref('consent', 1), ref('ch', 1), ref('grantee', 1)),
    () =>
      c.EmergencyAccessLog.openSession(
        ref('session', 1),
        alice,
        ref('att', 1),
        ref('doc', 1),
        ref('ETREAT', 0),
        expiry,
      ),
    () =>
      c.EmergencyAccessLog.releaseShares(ref('session', 1), ref('server', 1), ref('req', 1), [
        ref('rec', 1),
      ]),
    () => anchor(alice, ref('rec', 1), 2, 3),
  ];
  for (const send of sends) await (await send()).wait();
}, 120_000);

afterAll(async () => {
  await env?.close();
}, 60_000);

const names = (entries: readonly TrailEntry[]) => entries.map((e) => `${e.contract}.${e.event}`);

describe('patient trail', () => {
  it("returns only this patient's events, across the contracts, in chain order, with tx hash and block", async () => {
    const page = await readPatientTrail(env.provider, env.deployment, { patientRef: alice });
    expect(names(page.entries)).toEqual([
      'RecordRegistry.RecordAnchored',
      'ConsentLedger.ConsentGranted',
      'EmergencyAccessLog.SessionOpened',
      'EmergencyAccessLog.SharesReleased',
      'RecordRegistry.RecordAnchored',
    ]);
    expect(page.nextFromBlock).toBeNull();
    for (const entry of page.entries) {
      expect(entry.args.patientRef).toBe(alice);
      const receipt = await env.provider.getTransactionReceipt(entry.transactionHash);
      expect(receipt?.blockNumber).toBe(entry.blockNumber);
    }
    const bobs = await readPatientTrail(env.provider, env.deployment, { patientRef: bob });
    expect(names(bobs.entries)).toEqual(['RecordRegistry.RecordAnchored']);
    expect(bobs.entries[0]!.args).toEqual({
      patientRef: bob,
      recordId: ref('rec', 2),
      version: '1',
      ciphertextHash: ref('h', 2),
      authorRef: ref('author', 1),
      metadataHash: ref('meta', 2),
    });
  });

  it('reads a bounded block range per call and pages through the rest', async () => {
    const all: TrailEntry[] = [];
    let fromBlock: number | null = env.deployment.deployedAtBlock;
    let calls = 0;
    while (fromBlock !== null) {
      const page = await readPatientTrail(env.provider, env.deployment, {
        patientRef: alice,
        fromBlock,
        maxBlocks: 2,
      });
      expect(page.toBlock - page.fromBlock).toBeLessThan(2);
      all.push(...page.entries);
      fromBlock = page.nextFromBlock;
      calls += 1;
    }
    expect(calls).toBeGreaterThan(2);
    expect(names(all)).toEqual(
      names((await readPatientTrail(env.provider, env.deployment, { patientRef: alice })).entries),
    );
  });

  it('rejects a malformed patient reference with a typed error', async () => {
    const error = await readPatientTrail(env.provider, env.deployment, {
      patientRef: '0x1234',
    }).catch((e: unknown) => e);
    expect(isLedgerError(error, LedgerErrorCode.InvalidArgument)).toBe(true);
  });
});
