// Crypto benchmark (issue 3): @sec-health/crypto on Node (native backend) against floors measured
// in the same run: `openssl speed` for AES-256-GCM, bare node:crypto loops for Ed25519 and HPKE,
// the bare shamir-secret-sharing library for Shamir. Reports; never fails on a figure.
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes as nodeRandomBytes,
  randomFillSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { performance } from 'node:perf_hooks';

import {
  canonicalJsonBytes,
  combineShares,
  decryptRecord,
  encryptRecord,
  generateDataKey,
  generateEncryptionKeyPair,
  generateSigningKeyPair,
  signBytes,
  signCanonical,
  splitKey,
  SuiteName,
  unwrapKey,
  verifyBytes,
  verifyCanonical,
  wrapKey,
  type RecordBinding,
} from '@sec-health/crypto';
import { nodeBackend, portableBackend } from '@sec-health/crypto/backends';
import { combine as bareCombine, split as bareSplit } from 'shamir-secret-sharing';

import { defaultBenchOptions, measure, type BenchCase, type Measurement } from './harness.js';
import { opensslAesGcmSpeed } from './openssl.js';
import { machineInfo, printAndWriteReport, row, type ReportRow } from './report.js';

const SUITE = 'crypto';
const OPENSSL_SECONDS = 2;
const KiB = 1024;
const MiB = 1024 * KiB;
const RECORD_SIZES: readonly { readonly label: string; readonly bytes: number }[] = [
  { label: '1 KiB', bytes: KiB },
  { label: '64 KiB', bytes: 64 * KiB },
  { label: '1 MiB', bytes: MiB },
];

/** Targets from issue 3, as a minimum ratio ours / floor. */
const TARGET = {
  aesGcm1MiB: 0.25,
  ed25519Verify: 0.7,
  hpkeWrapUnwrap: 0.5,
} as const;

const GROUP = {
  aes: 'AES-256-GCM record envelope (MB/s)',
  ed25519: 'Ed25519 signatures (ops/s)',
  hpke: 'HPKE key wrapping of a 32-byte key (ops/s)',
  shamir: 'Shamir n=5, t=3 with commitments (ops/s)',
  backends: 'Portable backend vs native backend (informational)',
} as const;

// RFC 8410 DER prefixes turning raw 32-byte keys into PKCS#8 / SPKI for node:crypto.
const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const X25519_SPKI = Buffer.from('302a300506032b656e032100', 'hex');
const X25519_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX_LENGTH = 12;

const rows: ReportRow[] = [];
const notes: string[] = [];

function progress(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`benchmark self-check failed: ${what}`);
}

/** Measures named cases together (interleaved rounds) and returns them by name. */
async function measureNamed<K extends string>(
  cases: Record<K, Omit<BenchCase, 'name'>>,
): Promise<Record<K, Measurement>> {
  const names = Object.keys(cases) as K[];
  const results = await measure(
    names.map((name) => ({ name, ...cases[name] })),
    defaultBenchOptions,
  );
  const byName = {} as Record<K, Measurement>;
  names.forEach((name, index) => {
    byName[name] = results[index] as Measurement;
  });
  return byName;
}

function privateKeyObject(prefix: Buffer, raw: Uint8Array): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([prefix, raw]),
    format: 'der',
    type: 'pkcs8',
  });
}

function publicKeyObject(prefix: Buffer, raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([prefix, raw]), format: 'der', type: 'spki' });
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

const binding: RecordBinding = {
  recordId: '01964b1e-7a4c-7d2e-9f10-3c5a8b2d4e61',
  patientId: '01964b1e-7a4c-7d2e-9f10-3c5a8b2d4e62',
  version: 1,
  contentType: 'application/fhir+json',
};

async function benchAesGcm(): Promise<void> {
  progress('AES-256-GCM record envelopes vs openssl speed');
  const dataKey = generateDataKey();
  const aad = canonicalJsonBytes(binding);
  const nonce = new Uint8Array(12);
  for (const size of RECORD_SIZES) {
    const plaintext = new Uint8Array(nodeRandomBytes(size.bytes));
    const envelope = await encryptRecord(dataKey, binding, plaintext);
    check(
      equalBytes(await decryptRecord(dataKey, binding, envelope), plaintext),
      'decryptRecord(encryptRecord(x)) = x',
    );

    const openssl = await opensslAesGcmSpeed(size.bytes, OPENSSL_SECONDS);
    if (!openssl.ok) notes.push(`\`${openssl.command}\`: ${openssl.reason}; no AES floor.`);
    const floorName = `openssl speed (${OPENSSL_SECONDS} s)`;
    const floor = openssl.ok ? openssl.mbPerSec : null;

    const m = await measureNamed({
      encrypt: {
        bytesPerOp: size.bytes,
        run: () => encryptRecord(dataKey, binding, plaintext),
      },
      decrypt: {
        bytesPerOp: size.bytes,
        run: () => decryptRecord(dataKey, binding, envelope),
      },
      bareSeal: {
        bytesPerOp: size.bytes,
        run: () => {
          const cipher = createCipheriv('aes-256-gcm', dataKey, randomFillSync(nonce));
          cipher.setAAD(aad);
          const body = cipher.update(plaintext);
          cipher.final();
          return [body, cipher.getAuthTag()];
        },
      },
      bareOpen: {
        bytesPerOp: size.bytes,
        run: () => {
          const sealed = envelope.subarray(13);
          const decipher = createDecipheriv('aes-256-gcm', dataKey, envelope.subarray(1, 13));
          decipher.setAAD(aad);
          decipher.setAuthTag(sealed.subarray(sealed.length - 16));
          const body = decipher.update(sealed.subarray(0, sealed.length - 16));
          decipher.final();
          return body;
        },
      },
    });
    const target = size.bytes === MiB ? TARGET.aesGcm1MiB : undefined;
    const common = { group: GROUP.aes, unit: 'MB/s', floorName, floor } as const;
    rows.push(
      row({ ...common, name: `encryptRecord ${size.label}`, value: m.encrypt, target }),
      row({ ...common, name: `decryptRecord ${size.label}`, value: m.decrypt, target }),
      row({ ...common, name: `bare node:crypto seal ${size.label}`, value: m.bareSeal }),
      row({ ...common, name: `bare node:crypto open ${size.label}`, value: m.bareOpen }),
    );
  }
  notes.push(
    'AES rows: "bare node:crypto" is createCipheriv/update/final/getAuthTag with nothing around it; ' +
      'the gap between it and openssl is the cost of calling OpenSSL from JavaScript, the gap ' +
      'between it and encryptRecord/decryptRecord is ours (validation, AAD, copies).',
  );
}

async function benchEd25519(): Promise<void> {
  progress('Ed25519 sign and verify vs bare node:crypto');
  const keys = generateSigningKeyPair();
  const privateKey = privateKeyObject(ED25519_PKCS8, keys.secretKey);
  const publicKey = publicKeyObject(ED25519_SPKI, keys.publicKey);
  // A small signed object, the size of a break-glass key request.
  const request = {
    type: 'emergency-key-request',
    sessionId: '01964b1e-7a4c-7d2e-9f10-3c5a8b2d4e70',
    collaboratorId: '01964b1e-7a4c-7d2e-9f10-3c5a8b2d4e71',
    recordIds: [binding.recordId],
    nonce: 'k3J9x0Qm2b8WfA1s',
    issuedAt: '2026-11-23T10:00:00.000Z',
  };
  const requestBytes = canonicalJsonBytes(request);
  const requestSignature = signCanonical(keys.secretKey, request);
  const message64 = new Uint8Array(nodeRandomBytes(64));
  const signature64 = signBytes(keys.secretKey, message64);
  check(verifyCanonical(keys.publicKey, request, requestSignature), 'verifyCanonical accepts');
  check(verifyBytes(keys.publicKey, message64, signature64), 'verifyBytes accepts');
  check(verify(null, requestBytes, publicKey, requestSignature), 'node:crypto accepts ours');
  check(
    equalBytes(sign(null, message64, privateKey), signature64),
    'node:crypto signature = ours (Ed25519 is deterministic)',
  );

  const verifyRuns = await measureNamed({
    verifyCanonical: { run: () => verifyCanonical(keys.publicKey, request, requestSignature) },
    bareVerifyCanonical: { run: () => verify(null, requestBytes, publicKey, requestSignature) },
    verifyBytes: { run: () => verifyBytes(keys.publicKey, message64, signature64) },
    bareVerify64: { run: () => verify(null, message64, publicKey, signature64) },
  });
  const signRuns = await measureNamed({
    signCanonical: { run: () => signCanonical(keys.secretKey, request) },
    bareSignCanonical: { run: () => sign(null, requestBytes, privateKey) },
    signBytes: { run: () => signBytes(keys.secretKey, message64) },
    bareSign64: { run: () => sign(null, message64, privateKey) },
  });
  const common = { group: GROUP.ed25519, unit: 'ops/s' } as const;
  const bare = 'bare node:crypto, KeyObject made once';
  rows.push(
    row({
      ...common,
      name: `verifyCanonical (${requestBytes.length}-byte object)`,
      value: verifyRuns.verifyCanonical,
      floorName: bare,
      floor: verifyRuns.bareVerifyCanonical,
      target: TARGET.ed25519Verify,
    }),
    row({
      ...common,
      name: 'verifyBytes (64 bytes)',
      value: verifyRuns.verifyBytes,
      floorName: bare,
      floor: verifyRuns.bareVerify64,
      target: TARGET.ed25519Verify,
    }),
    row({
      ...common,
      name: `signCanonical (${requestBytes.length}-byte object)`,
      value: signRuns.signCanonical,
      floorName: bare,
      floor: signRuns.bareSignCanonical,
    }),
    row({
      ...common,
      name: 'signBytes (64 bytes)',
      value: signRuns.signBytes,
      floorName: bare,
      floor: signRuns.bareSign64,
    }),
  );
}

/** The native floor of HPKE: the same primitives as one wrap/unwrap, called bare, synchronously. */
function bareHpke(recipientPublic: KeyObject, recipientPrivate: KeyObject, info: Uint8Array) {
  const salt = new Uint8Array(0);
  const wrap = (key32: Uint8Array): Uint8Array => {
    const ephemeral = generateKeyPairSync('x25519');
    const enc = ephemeral.publicKey
      .export({ format: 'der', type: 'spki' })
      .subarray(SPKI_PREFIX_LENGTH);
    const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipientPublic });
    const okm = new Uint8Array(hkdfSync('sha256', shared, salt, info, 44));
    const cipher = createCipheriv('aes-256-gcm', okm.subarray(0, 32), okm.subarray(32));
    const body = cipher.update(key32);
    cipher.final();
    return Buffer.concat([enc, body, cipher.getAuthTag()]);
  };
  const unwrap = (wrapped: Uint8Array): Uint8Array => {
    const ephemeralPublic = publicKeyObject(X25519_SPKI, wrapped.subarray(0, 32));
    const shared = diffieHellman({ privateKey: recipientPrivate, publicKey: ephemeralPublic });
    const okm = new Uint8Array(hkdfSync('sha256', shared, salt, info, 44));
    const decipher = createDecipheriv('aes-256-gcm', okm.subarray(0, 32), okm.subarray(32));
    decipher.setAuthTag(wrapped.subarray(wrapped.length - 16));
    const key = decipher.update(wrapped.subarray(32, wrapped.length - 16));
    decipher.final();
    return key;
  };
  return { wrap, unwrap };
}

async function benchHpke(): Promise<void> {
  progress('HPKE wrap/unwrap vs bare node:crypto (X25519 + HKDF + AES-GCM)');
  const recipient = generateEncryptionKeyPair();
  const key32 = generateDataKey();
  const context = { purpose: 'record-key', recordId: binding.recordId, version: '1' };
  const wrapped = await wrapKey(recipient.publicKey, key32, context);
  check(equalBytes(await unwrapKey(recipient, wrapped, context), key32), 'unwrap(wrap(k)) = k');

  const bare = bareHpke(
    publicKeyObject(X25519_SPKI, recipient.publicKey),
    privateKeyObject(X25519_PKCS8, recipient.secretKey),
    canonicalJsonBytes({ ...context, suite: SuiteName.HpkeWrapV1 }),
  );
  const bareWrapped = bare.wrap(key32);
  check(equalBytes(bare.unwrap(bareWrapped), key32), 'bare unwrap(wrap(k)) = k');

  const m = await measureNamed({
    wrap: { run: () => wrapKey(recipient.publicKey, key32, context) },
    bareWrap: { run: () => bare.wrap(key32) },
    unwrap: { run: () => unwrapKey(recipient, wrapped, context) },
    bareUnwrap: { run: () => bare.unwrap(bareWrapped) },
    wrapUnwrap: {
      run: async () =>
        unwrapKey(recipient, await wrapKey(recipient.publicKey, key32, context), context),
    },
    bareWrapUnwrap: { run: () => bare.unwrap(bare.wrap(key32)) },
  });
  const common = {
    group: GROUP.hpke,
    unit: 'ops/s',
    floorName: 'bare node:crypto (X25519 keygen, DH, HKDF, AES-GCM)',
  } as const;
  rows.push(
    row({ ...common, name: 'wrapKey', value: m.wrap, floor: m.bareWrap }),
    row({ ...common, name: 'unwrapKey', value: m.unwrap, floor: m.bareUnwrap }),
    row({
      ...common,
      name: 'wrapKey + unwrapKey',
      value: m.wrapUnwrap,
      floor: m.bareWrapUnwrap,
      target: TARGET.hpkeWrapUnwrap,
    }),
  );
  notes.push(
    'HPKE floor: one X25519 key generation, two DH, one hkdfSync and AES-256-GCM seal/open, with ' +
      "the recipient's KeyObjects made once; it skips RFC 9180's several labeled HKDF steps, so " +
      'it is a floor, not an HPKE implementation. unwrapKey is given {secretKey, publicKey}.',
  );
}

async function benchShamir(): Promise<void> {
  progress('Shamir split/combine with commitments vs bare shamir-secret-sharing');
  const key32 = generateDataKey();
  const ids = { recordId: binding.recordId, version: 1 };
  const split = await splitKey(key32, { shares: 5, threshold: 3 }, ids);
  const subset = split.shares.slice(1, 4);
  const combineOptions = { binding: ids, commitments: split.commitments, threshold: 3 };
  const combined = await combineShares(subset, combineOptions);
  check(equalBytes(combined.key, key32), 'combineShares(splitKey(k)) = k');
  const bareShares = await bareSplit(new Uint8Array(key32), 5, 3);
  const bareSubset = bareShares.slice(1, 4);
  check(equalBytes(await bareCombine(bareSubset), key32), 'bare combine(split(k)) = k');

  const m = await measureNamed({
    split: { run: () => splitKey(key32, { shares: 5, threshold: 3 }, ids) },
    bareSplit: { run: () => bareSplit(new Uint8Array(key32), 5, 3) },
    combine: { run: () => combineShares(subset, combineOptions) },
    bareCombine: { run: () => bareCombine(bareSubset) },
  });
  const common = {
    group: GROUP.shamir,
    unit: 'ops/s',
    floorName: 'bare shamir-secret-sharing',
  } as const;
  rows.push(
    row({
      ...common,
      name: 'splitKey (5 shares + commitments)',
      value: m.split,
      floor: m.bareSplit,
    }),
    row({
      ...common,
      name: 'combineShares (3 shares, commitments checked)',
      value: m.combine,
      floor: m.bareCombine,
    }),
  );
}

async function benchBackends(): Promise<void> {
  progress('portable backend (noble + WebCrypto) vs native backend (node:crypto)');
  const key = generateDataKey();
  const nonce = new Uint8Array(12);
  const aad = canonicalJsonBytes(binding);
  const plaintext = new Uint8Array(nodeRandomBytes(64 * KiB));
  const signer = generateSigningKeyPair();
  const message = new Uint8Array(nodeRandomBytes(64));
  const signature = signBytes(signer.secretKey, message);
  const alice = generateEncryptionKeyPair();
  const bob = generateEncryptionKeyPair();
  check(
    equalBytes(
      await portableBackend.aesGcmSeal(key, nonce, aad, plaintext),
      await nodeBackend.aesGcmSeal(key, nonce, aad, plaintext),
    ),
    'backends agree on AES-GCM',
  );
  check(portableBackend.ed25519Verify(signer.publicKey, message, signature), 'portable verifies');
  check(
    equalBytes(
      portableBackend.x25519SharedSecret(alice.secretKey, bob.publicKey),
      nodeBackend.x25519SharedSecret(alice.secretKey, bob.publicKey),
    ),
    'backends agree on X25519',
  );

  const m = await measureNamed({
    portableAes: {
      bytesPerOp: plaintext.length,
      run: () => portableBackend.aesGcmSeal(key, nonce, aad, plaintext),
    },
    nativeAes: {
      bytesPerOp: plaintext.length,
      run: () => nodeBackend.aesGcmSeal(key, nonce, aad, plaintext),
    },
    portableVerify: {
      run: () => portableBackend.ed25519Verify(signer.publicKey, message, signature),
    },
    nativeVerify: { run: () => nodeBackend.ed25519Verify(signer.publicKey, message, signature) },
    portableX25519: {
      run: () => portableBackend.x25519SharedSecret(alice.secretKey, bob.publicKey),
    },
    nativeX25519: { run: () => nodeBackend.x25519SharedSecret(alice.secretKey, bob.publicKey) },
  });
  const common = { group: GROUP.backends, floorName: 'native backend (node:crypto)' } as const;
  rows.push(
    row({
      ...common,
      name: 'portable aesGcmSeal 64 KiB (noble, WebCrypto)',
      unit: 'MB/s',
      value: m.portableAes,
      floor: m.nativeAes,
    }),
    row({
      ...common,
      name: 'portable ed25519Verify 64 bytes (noble)',
      unit: 'ops/s',
      value: m.portableVerify,
      floor: m.nativeVerify,
    }),
    row({
      ...common,
      name: 'portable x25519SharedSecret (noble)',
      unit: 'ops/s',
      value: m.portableX25519,
      floor: m.nativeX25519,
    }),
  );
  notes.push(
    'Backend rows: "Ours" is the portable backend, the floor is the native one; a ratio of 5% ' +
      'means native is 20x faster, which is why the Node entry point installs the native backend.',
  );
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const started = performance.now();
  const machine = machineInfo();
  process.stderr.write(
    `crypto benchmark on ${machine.cpuModel} (${machine.cores} cores), Node ${machine.node}\n`,
  );
  await benchAesGcm();
  await benchEd25519();
  await benchHpke();
  await benchShamir();
  await benchBackends();

  const report = {
    suite: SUITE,
    startedAt: startedAt.toISOString(),
    durationSeconds: (performance.now() - started) / 1000,
    machine,
    options: defaultBenchOptions,
    rows,
    notes,
  };
  printAndWriteReport(report);
}

main().catch((error: unknown) => {
  console.error('crypto benchmark crashed:', error);
  process.exitCode = 1;
});
