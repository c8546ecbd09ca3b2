import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { downloadContent, validateFhirRecord, type RecordFlows } from '@sec-health/client';
import { contractArtifacts } from '@sec-health/contracts';
import { fromBase64Url, openFromSender, type ParticipantKeys } from '@sec-health/crypto';
import {
  uuidToBytes32,
  type Grant,
  type Organization,
  type Participant,
  type RecordVersion,
  type VerifyReport,
} from '@sec-health/protocol';
import { Contract, JsonRpcProvider, Network, type EventLog } from 'ethers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cliRunner, json, type CliResult } from './cli.js';
import { waitFor } from './processes.js';
import { PASSPHRASE, startStack, type Stack } from './stack.js';
import { fetchIndependently } from './support/independent-ipfs.js';
import { collaborator, ok, organization, patient } from './support/people.js';
import { profileKeys, sdkAs } from './support/profile-keys.js';
import { scanChain, scanDatabase, scanFiles, scanLog, type Secret } from './support/secret-scan.js';

// Storage and sharing end to end (issue #12): authority, two storage instances, sharing and the
// gateway as separate processes, started as npm start starts them; every user step through the
// sechealth CLI; the chain read with plain ethers, the IPFS content with a plain Helia node.

const FIXTURES = join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => join(FIXTURES, name);

let stack: Stack;
let cli: (...argv: string[]) => Promise<CliResult>;
let provider: JsonRpcProvider;
let registry: Contract;
let ledger: Contract;
let storage2Dir: string;
let outDir: string;

let org: Organization;
let lab: Organization;
let doctorA: Participant;
let doctorB: Participant;
let labTech: Participant;
let ana: Participant;

beforeAll(async () => {
  storage2Dir = await mkdtemp(join(tmpdir(), 'storage-2-ipfs-'));
  outDir = await mkdtemp(join(tmpdir(), 'records-out-'));
  stack = await startStack({
    replicas: [{ name: 'storage-2', of: 'storage', env: { STORAGE_IPFS_DIR: storage2Dir } }],
  });
  cli = cliRunner({
    SECHEALTH_HOME: stack.home,
    SECHEALTH_PASSPHRASE: PASSPHRASE,
    SECHEALTH_API: stack.gatewayUrl,
    SECHEALTH_SCRYPT_N: '1024',
  });
  provider = new JsonRpcProvider(stack.chain.rpcUrl, Network.from(stack.chain.chainId), {
    staticNetwork: true,
    batchMaxCount: 1,
  });
  const book = JSON.parse(await readFile(join(stack.home, 'contracts.json'), 'utf8')) as Record<
    string,
    { contracts: { RecordRegistry: string; ConsentLedger: string } }
  >;
  const addresses = book[String(stack.chain.chainId)]!.contracts;
  registry = new Contract(addresses.RecordRegistry, contractArtifacts.RecordRegistry.abi, provider);
  ledger = new Contract(addresses.ConsentLedger, contractArtifacts.ConsentLedger.abi, provider);

  org = await organization(cli, 'General Hospital');
  lab = await organization(cli, 'City Lab');
  doctorA = await collaborator(cli, org, 'doctor-a', 'physician', 'Dr. Alves');
  doctorB = await collaborator(cli, org, 'doctor-b', 'physician', 'Dr. Braga');
  labTech = await collaborator(cli, lab, 'lab', 'lab', 'City Lab results');
  ana = await patient(cli, 'ana', 'Ana Souza');
}, 300_000);

afterAll(async () => {
  provider?.destroy();
  await stack?.stop();
}, 60_000);

const as = (profile: string, ...argv: string[]) => cli('--profile', profile, '--json', ...argv);

async function refusedWith(result: Promise<CliResult>, code: string): Promise<void> {
  const done = await result;
  expect(done.code, done.stdout).toBe(1);
  expect((JSON.parse(done.stderr) as { error: { code: string } }).error.code).toBe(code);
}

async function readAs(profile: string, recordId: string, version?: number): Promise<string> {
  const out = join(outDir, `${profile}-${recordId}-${version ?? 'latest'}`);
  await ok(
    as(
      profile,
      'records',
      'get',
      recordId,
      '--out',
      out,
      ...(version ? ['--version', String(version)] : []),
    ),
  );
  return readFile(out, 'utf8');
}

const grantIn = (days: number) => `${days}d`;

describe('storage and sharing, end to end', () => {
  let bundle: RecordVersion;
  let allergy: RecordVersion;
  let grantToB: Grant;

  it('a physician with a write grant adds a FHIR Bundle, and the patient reads it', async () => {
    await refusedWith(
      as(
        'doctor-a',
        'records',
        'add',
        fixture('bundle.json'),
        '--patient',
        ana.id,
        '--category',
        'patient-summary',
      ),
      'FORBIDDEN',
    );
    await json<Grant>(
      as(
        'ana',
        'grants',
        'create',
        '--grantee',
        doctorA.id,
        '--categories',
        'allergies,conditions,patient-summary',
        '--write',
        '--expires',
        grantIn(30),
      ),
    );
    bundle = await json<RecordVersion>(
      as(
        'doctor-a',
        'records',
        'add',
        fixture('bundle.json'),
        '--patient',
        ana.id,
        '--category',
        'patient-summary',
      ),
    );
    expect(bundle.signed.metadata.contentType).toBe('application/fhir+json');
    allergy = await json<RecordVersion>(
      as(
        'doctor-a',
        'records',
        'add',
        fixture('allergy.json'),
        '--patient',
        ana.id,
        '--category',
        'allergies',
      ),
    );
    expect(await readAs('ana', bundle.signed.metadata.recordId)).toBe(
      await readFile(fixture('bundle.json'), 'utf8'),
    );
  });

  it('refuses a record that is not valid FHIR before anything is encrypted', async () => {
    const bad = join(outDir, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({ resourceType: 'Observation', status: 'final', bogus: 1 }),
    );
    await refusedWith(
      as('doctor-a', 'records', 'add', bad, '--patient', ana.id, '--category', 'observations'),
      'CLIENT_INVALID_RECORD',
    );
  });

  it('a second physician with read on allergies reads the allergies and is refused the rest', async () => {
    grantToB = await json<Grant>(
      as(
        'ana',
        'grants',
        'create',
        '--grantee',
        doctorB.id,
        '--categories',
        'allergies',
        '--expires',
        grantIn(30),
      ),
    );
    expect(grantToB.keyCount).toBe(1);
    expect(await readAs('doctor-b', allergy.signed.metadata.recordId)).toBe(
      await readFile(fixture('allergy.json'), 'utf8'),
    );
    await refusedWith(
      as('doctor-b', 'records', 'get', bundle.signed.metadata.recordId, '--out', join(outDir, 'x')),
      'FORBIDDEN',
    );
    const listed = await json<RecordVersion[] | { items: RecordVersion[] }>(
      as('doctor-b', 'records', 'list', '--patient', ana.id),
    );
    const items = Array.isArray(listed) ? listed : listed.items;
    expect(items.map((v) => v.signed.metadata.category)).toEqual(['allergies']);
  });

  it("a new record in a granted category is wrapped to the category's grantee by its author", async () => {
    const second = await json<RecordVersion>(
      as(
        'doctor-a',
        'records',
        'add',
        fixture('allergy-2.json'),
        '--patient',
        ana.id,
        '--category',
        'allergies',
      ),
    );
    expect(await readAs('doctor-b', second.signed.metadata.recordId)).toBe(
      await readFile(fixture('allergy-2.json'), 'utf8'),
    );
  });

  it('a lab with a write grant adds an Observation the patient reads', async () => {
    await json<Grant>(
      as(
        'ana',
        'grants',
        'create',
        '--grantee',
        labTech.id,
        '--categories',
        'observations',
        '--write',
        '--expires',
        grantIn(7),
      ),
    );
    const observation = await json<RecordVersion>(
      as(
        'lab',
        'records',
        'add',
        fixture('observation.json'),
        '--patient',
        ana.id,
        '--category',
        'observations',
      ),
    );
    expect(observation.signed.metadata.authorId).toBe(labTech.id);
    expect(await readAs('ana', observation.signed.metadata.recordId)).toBe(
      await readFile(fixture('observation.json'), 'utf8'),
    );
  });

  it('each grant is a valid FHIR R4 Consent resource', async () => {
    const consent = await json<Record<string, unknown>>(
      as('ana', 'grants', 'show', grantToB.consent.consentId, '--fhir'),
    );
    expect(consent.resourceType).toBe('Consent');
    expect(validateFhirRecord(Buffer.from(JSON.stringify(consent))).resourceType).toBe('Consent');
  });

  it('after revocation the next read is refused, and the old key does not open the rotated version', async () => {
    const recordId = allergy.signed.metadata.recordId;
    const b = await sdkAs(stack.gatewayUrl, stack.home, 'doctor-b', PASSPHRASE);
    const before = await b.client.call('records.get', { recordId });
    const cachedKey = await b.dataKeyOf(before);

    const revoked = await json<{ grant: Grant; rotated: number } | Grant>(
      as('ana', 'grants', 'revoke', grantToB.consent.consentId),
    );
    const grant = 'grant' in revoked ? revoked.grant : revoked;
    expect(grant.status).toBe('revoked');
    await refusedWith(
      as('doctor-b', 'records', 'get', recordId, '--out', join(outDir, 'y')),
      'FORBIDDEN',
    );

    const anaSdk = await sdkAs(stack.gatewayUrl, stack.home, 'ana', PASSPHRASE);
    const latest = await anaSdk.client.call('records.get', { recordId });
    expect(latest.record.signed.metadata.version).toBe(2);
    const ciphertext = await downloadContent(
      { apiUrl: stack.gatewayUrl, fetch: globalThis.fetch, token: anaSdk.client.token! },
      recordId,
      2,
    );
    await expect(b.decrypt(cachedKey, latest.record.signed.metadata, ciphertext)).rejects.toThrow();
    expect(await readAs('ana', recordId)).toBe(await readFile(fixture('allergy.json'), 'utf8'));

    const filter = ledger.filters.ConsentRevoked!(null, uuidToBytes32(grantToB.consent.consentId));
    await waitFor(
      'ConsentRevoked on chain',
      async () => ((await ledger.queryFilter(filter)).length === 1 ? true : undefined),
      30_000,
      () => stack.diagnostics(),
    );
  });

  it('an expired grant is refused', async () => {
    const condition = await json<RecordVersion>(
      as(
        'doctor-a',
        'records',
        'add',
        fixture('condition.json'),
        '--patient',
        ana.id,
        '--category',
        'conditions',
      ),
    );
    const expiresAt = new Date(Date.now() + 5_000).toISOString();
    await json<Grant>(
      as(
        'ana',
        'grants',
        'create',
        '--grantee',
        doctorB.id,
        '--categories',
        'conditions',
        '--expires',
        expiresAt,
      ),
    );
    await waitFor(
      'the grant to expire',
      async () => (Date.now() > Date.parse(expiresAt) + 500 ? true : undefined),
      20_000,
    );
    await refusedWith(
      as(
        'doctor-b',
        'records',
        'get',
        condition.signed.metadata.recordId,
        '--out',
        join(outDir, 'z'),
      ),
      'FORBIDDEN',
    );
  });

  it('a record written through one storage instance is read through the other', async () => {
    const storage2 = stack.processes.find((p) => p.name === 'storage-2')!;
    await storage2.stop();
    const written = await json<RecordVersion>(
      as(
        'doctor-a',
        'records',
        'add',
        fixture('condition.json'),
        '--patient',
        ana.id,
        '--category',
        'conditions',
      ),
    );
    await stack.restart('storage-2');
    await waitFor(
      'storage-2 to listen',
      async () => (/storage listening/.test(restarted().output()) ? true : undefined),
      60_000,
      () => stack.diagnostics(),
    );
    const servedBy2 = () =>
      restarted()
        .output()
        .split('\n')
        .some(
          (line) =>
            line.includes('"subject":"storage.content.read"') && line.includes('"outcome":"ok"'),
        );
    for (let attempt = 0; attempt < 30 && !servedBy2(); attempt++) {
      expect(await readAs('ana', written.signed.metadata.recordId)).toBe(
        await readFile(fixture('condition.json'), 'utf8'),
      );
    }
    expect(servedBy2()).toBe(true);
  });

  it('an independent IPFS node fetches the ciphertext by CID and finds the SHA-256 of RecordAnchored', async () => {
    const me = await profileKeys(stack.home, 'ana', PASSPHRASE);
    const anaSdk = await sdkAs(stack.gatewayUrl, stack.home, 'ana', PASSPHRASE);
    const { participantRef } = await anaSdk.client.getDirectoryEntry(me.id);
    const { recordId, cid } = bundle.signed.metadata;
    const events = await waitFor(
      'RecordAnchored',
      async () => {
        const found = await registry.queryFilter(
          registry.filters.RecordAnchored!(participantRef, uuidToBytes32(recordId)),
        );
        return found.length > 0 ? (found as EventLog[]) : undefined;
      },
      30_000,
    );
    const peer = await storagePeer();
    expect(await fetchIndependently(peer, cid)).toBe(events[0]!.args.ciphertextHash);
  });

  it('a changed block on disk or a changed metadata field is reported against the chain anchor, never served', async () => {
    await stack.processes.find((p) => p.name === 'storage-2')!.stop();
    const onDisk = await json<RecordVersion>(
      as(
        'doctor-a',
        'records',
        'add',
        fixture('condition.json'),
        '--patient',
        ana.id,
        '--category',
        'conditions',
      ),
    );
    const inDb = await json<RecordVersion>(
      as(
        'doctor-a',
        'records',
        'add',
        fixture('condition.json'),
        '--patient',
        ana.id,
        '--category',
        'conditions',
      ),
    );
    for (const v of [onDisk, inDb]) {
      await waitFor(
        'verified',
        async () => {
          const report = await json<VerifyReport>(
            as('ana', 'records', 'verify', v.signed.metadata.recordId),
          );
          return report.integrity.status === 'verified' ? true : undefined;
        },
        30_000,
      );
    }
    await flipOneByteOfBlock(join(stack.home, 'storage', 'ipfs'), onDisk);
    const db = new pg.Client({ connectionString: stack.db.url });
    await db.connect();
    await db.query(
      `UPDATE storage.record_versions SET metadata = jsonb_set(metadata, '{confidentiality}', '"R"')
        WHERE record_id = $1`,
      [inDb.signed.metadata.recordId],
    );
    await db.end();
    for (const [v, problem] of [
      [onDisk, /SHA-256 of the stored content differs/],
      [inDb, /does not verify with its author's signature/],
    ] as const) {
      const verify = await as('ana', 'records', 'verify', v.signed.metadata.recordId);
      expect(verify.code).toBe(1);
      const report = JSON.parse(verify.stdout) as VerifyReport;
      expect(report.integrity.status).toBe('mismatch');
      expect(report.integrity.problems.join(' ')).toMatch(problem);
      await refusedWith(
        as('ana', 'records', 'get', v.signed.metadata.recordId, '--out', join(outDir, 't')),
        'INTEGRITY_MISMATCH',
      );
      await refusedWith(
        as('doctor-a', 'records', 'get', v.signed.metadata.recordId, '--out', join(outDir, 't')),
        'INTEGRITY_MISMATCH',
      );
    }
    await stack.restart('storage-2');
  });

  it('no plaintext, data key or share is anywhere: tables, block stores, logs, chain', async () => {
    const secrets: Secret[] = [];
    for (const file of [
      'bundle.json',
      'allergy.json',
      'allergy-2.json',
      'condition.json',
      'observation.json',
    ]) {
      const text = await readFile(fixture(file), 'utf8');
      secrets.push({ label: `plaintext ${file}`, bytes: Buffer.from(text) });
      const marker = /marker (PLAINTEXT-[\w-]+)/.exec(text)![1]!;
      secrets.push({ label: `marker ${marker}`, bytes: Buffer.from(marker) });
    }
    const anaSdk = await sdkAs(stack.gatewayUrl, stack.home, 'ana', PASSPHRASE);
    const mine = await anaSdk.listAll({ patientId: ana.id });
    expect(mine.length).toBeGreaterThanOrEqual(6);
    const servers = await emergencyKeys();
    const db = new pg.Client({ connectionString: stack.db.url });
    await db.connect();
    try {
      for (const version of mine) {
        const { recordId, version: number } = version.signed.metadata;
        for (let v = 1; v <= number; v++) {
          const access = await anaSdk.client
            .call('records.get', { recordId, version: v })
            .catch(() => undefined);
          if (!access) continue;
          secrets.push({
            label: `data key ${recordId} v${v}`,
            bytes: await anaSdk.dataKeyOf(access),
          });
          const shares = await db.query<{ index: number; serverId: string; sealed: string }>(
            `SELECT share_index AS index, server_id AS "serverId", sealed_share AS sealed
               FROM storage.record_shares WHERE record_id = $1 AND version = $2`,
            [recordId, v],
          );
          for (const share of shares.rows) {
            const keys = servers.get(share.serverId)!;
            const plain = await openFromSender(
              keys.encryption,
              fromBase64Url('sealed', share.sealed),
              {
                purpose: 'sec-health/emergency-share/v1',
                recordId,
                version: String(v),
                index: String(share.index),
                serverId: share.serverId,
              },
            );
            secrets.push({ label: `share ${share.index} of ${recordId} v${v}`, bytes: plain });
          }
        }
      }
    } finally {
      await db.end();
    }
    expect(secrets.filter((s) => s.label.startsWith('share')).length).toBeGreaterThanOrEqual(6 * 5);

    // The scan itself finds a secret when one is there, in each form it looks for.
    const control = secrets.find((s) => s.label.startsWith('data key'))!;
    for (const form of ['hex', 'base64', 'base64url'] as const) {
      expect(
        scanLog('control', `x${Buffer.from(control.bytes).toString(form)}x`, [control]),
      ).toHaveLength(1);
    }
    const findings = [
      ...(await scanDatabase(stack.db.url, secrets)),
      ...(await scanFiles(join(stack.home, 'storage', 'ipfs'), secrets)),
      ...(await scanFiles(storage2Dir, secrets)),
      ...stack.processes.flatMap((p) => scanLog(p.name, p.output(), secrets)),
      ...(await scanChain(provider, secrets)),
    ];
    expect(findings).toEqual([]);
  });

  it('after the patient rotates keys, records wrapped to the old key still open, new ones use the new key', async () => {
    await ok(cli('--profile', 'ana', 'keys', 'rotate'));
    await ok(cli('--profile', 'ana', 'login'));
    expect(await readAs('ana', bundle.signed.metadata.recordId)).toBe(
      await readFile(fixture('bundle.json'), 'utf8'),
    );
    const fresh = await json<RecordVersion>(
      as(
        'ana',
        'records',
        'add',
        fixture('condition.json'),
        '--patient',
        ana.id,
        '--category',
        'conditions',
      ),
    );
    expect(await readAs('ana', fresh.signed.metadata.recordId)).toBe(
      await readFile(fixture('condition.json'), 'utf8'),
    );
    const rotated = await json<RecordVersion[]>(
      as('ana', 'records', 'rotate', bundle.signed.metadata.recordId),
    );
    expect(rotated[0]!.signed.metadata.version).toBe(bundle.signed.metadata.version + 1);
    expect(await readAs('ana', bundle.signed.metadata.recordId)).toBe(
      await readFile(fixture('bundle.json'), 'utf8'),
    );
  });

  it('streams an attached document of several MiB through the gateway and back, byte for byte', async () => {
    const document = join(outDir, 'scan.pdf');
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(6 * 1024 * 1024 + 12_345)]);
    await writeFile(document, bytes);
    const stored = await json<RecordVersion>(
      as('doctor-a', 'records', 'add', document, '--patient', ana.id, '--category', 'conditions'),
    );
    expect(stored.signed.metadata.contentType).toBe('application/pdf');
    const out = join(outDir, 'scan-back.pdf');
    await ok(as('ana', 'records', 'get', stored.signed.metadata.recordId, '--out', out));
    expect((await readFile(out)).equals(bytes)).toBe(true);
  });
});

function restarted() {
  return stack.processes.find((p) => p.name === 'storage-2')!;
}

/** storage-1's IPFS address, from the instances' own registry table. */
async function storagePeer(): Promise<string> {
  const db = new pg.Client({ connectionString: stack.db.url });
  await db.connect();
  try {
    const rows = await db.query<{ multiaddrs: string[] }>(
      'SELECT multiaddrs FROM storage.ipfs_peers ORDER BY seen_at DESC',
    );
    const all = rows.rows.flatMap((row) => row.multiaddrs);
    if (all.length === 0) throw new Error('no storage instance registered its IPFS node');
    return all[0]!;
  } finally {
    await db.end();
  }
}

/** Changes one byte of the block file that holds a one-block record's ciphertext. */
async function flipOneByteOfBlock(ipfsDir: string, version: RecordVersion): Promise<void> {
  const anaSdk = await sdkAs(stack.gatewayUrl, stack.home, 'ana', PASSPHRASE);
  const ciphertext = await downloadContent(
    { apiUrl: stack.gatewayUrl, fetch: globalThis.fetch, token: anaSdk.client.token! },
    version.signed.metadata.recordId,
    version.signed.metadata.version,
  );
  const blocks = join(ipfsDir, 'blocks');
  for (const entry of await readdir(blocks, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const data = await readFile(path);
    if (data.equals(Buffer.from(ciphertext))) {
      const middle = data.length >> 1;
      data.writeUInt8(data.readUInt8(middle) ^ 0x01, middle);
      await writeFile(path, data);
      return;
    }
  }
  throw new Error(`no block file holds the ciphertext of ${version.signed.metadata.recordId}`);
}

/** The emergency servers' keys, from the profiles the authority's setup wrote. */
async function emergencyKeys(): Promise<Map<string, ParticipantKeys>> {
  const keys = new Map<string, ParticipantKeys>();
  for (let i = 1; i <= 5; i++) {
    const profile = await profileKeys(stack.home, `emergency-${i}`, PASSPHRASE);
    keys.set(profile.id, profile.keys);
  }
  return keys;
}

export type { RecordFlows };
