import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { nodeBackend, portableBackend, useBackend, type CryptoBackend } from './backends.js';
import { concatBytes, fromBase64Url, toBase64Url, utf8 } from './bytes.js';
import { canonicalJsonBytes } from './canonical-json.js';
import { CryptoError, CryptoErrorCode, type CryptoErrorCode as Code } from './errors.js';
import {
  createKeystore,
  DEFAULT_SCRYPT,
  parseKeystore,
  unlockKeystore,
  type KeystoreFile,
} from './keystore.js';
import { generateParticipantKeys, type ParticipantKeys } from './participant-keys.js';
import { SuiteName } from './suite.js';

/** Cheap scrypt for tests; one test below uses the default cost. */
const FAST = { N: 1024, r: 8, p: 1 } as const;
const PASSPHRASE = 'correct horse battery staple';

async function rejection(
  action: () => unknown,
  codes: Code | readonly Code[],
): Promise<CryptoError> {
  let outcome: unknown;
  try {
    await action();
  } catch (error) {
    outcome = error;
  }
  expect(outcome, 'expected a CryptoError').toBeInstanceOf(CryptoError);
  expect(typeof codes === 'string' ? [codes] : codes).toContain((outcome as CryptoError).code);
  return outcome as CryptoError;
}

function expectSameKeys(actual: ParticipantKeys, expected: ParticipantKeys): void {
  expect(actual.signing.secretKey).toEqual(expected.signing.secretKey);
  expect(actual.signing.publicKey).toEqual(expected.signing.publicKey);
  expect(actual.encryption.secretKey).toEqual(expected.encryption.secretKey);
  expect(actual.encryption.publicKey).toEqual(expected.encryption.publicKey);
}

/** A deep copy of a keystore, as a reader would get it from disk. */
const clone = (file: KeystoreFile): KeystoreFile =>
  JSON.parse(JSON.stringify(file)) as KeystoreFile;

function flipBase64Url(text: string, position: number, bit = 0): string {
  const bytes = fromBase64Url('test', text);
  bytes[position % bytes.length]! ^= 1 << bit;
  return toBase64Url(bytes);
}

describe.each([nodeBackend, portableBackend])('keystore on the $name backend', (chosen) => {
  let previous: CryptoBackend;
  beforeEach(() => {
    previous = useBackend(chosen);
  });
  afterEach(() => {
    useBackend(previous);
  });

  let keys: ParticipantKeys;
  let file: KeystoreFile;
  beforeAll(async () => {
    const saved = useBackend(chosen);
    try {
      keys = generateParticipantKeys();
      file = await createKeystore(keys, PASSPHRASE, { participantId: 'doctor-42', scrypt: FAST });
    } finally {
      useBackend(saved);
    }
  });

  it('writes a versioned file and round-trips the keys byte for byte', async () => {
    expect(file).toMatchObject({
      format: 'sec-health-keystore',
      version: 1,
      suite: SuiteName.KeystoreV1,
      participantId: 'doctor-42',
      publicKeys: {
        signing: toBase64Url(keys.signing.publicKey),
        encryption: toBase64Url(keys.encryption.publicKey),
      },
      kdf: { name: 'scrypt', ...FAST },
      cipher: { name: 'aes-256-gcm' },
    });
    expect(Number.isNaN(Date.parse(file.createdAt))).toBe(false);
    expect(fromBase64Url('salt', file.kdf.salt)).toHaveLength(32);
    expect(fromBase64Url('nonce', file.cipher.nonce)).toHaveLength(12);
    expect(fromBase64Url('ciphertext', file.ciphertext)).toHaveLength(80);

    expectSameKeys(await unlockKeystore(file, PASSPHRASE), keys);
    expectSameKeys(await unlockKeystore(JSON.stringify(file, null, 2), PASSPHRASE), keys);
    expect(parseKeystore(JSON.stringify(file))).toEqual(file);
  });

  it('unlocks with the other backend, and the other backend’s keystore unlocks here', async () => {
    const other = chosen === nodeBackend ? portableBackend : nodeBackend;
    useBackend(other);
    expectSameKeys(await unlockKeystore(file, PASSPHRASE), keys);
    const otherFile = await createKeystore(keys, PASSPHRASE, { scrypt: FAST });
    useBackend(chosen);
    expectSameKeys(await unlockKeystore(otherFile, PASSPHRASE), keys);
  });

  it('leaves the caller’s keys intact and omits an absent participantId', async () => {
    const copy = {
      signing: { ...keys.signing, secretKey: keys.signing.secretKey.slice() },
      encryption: { ...keys.encryption, secretKey: keys.encryption.secretKey.slice() },
    };
    const anonymous = await createKeystore(keys, PASSPHRASE, { scrypt: FAST });
    expectSameKeys(keys, copy);
    expect('participantId' in anonymous).toBe(false);
    expectSameKeys(await unlockKeystore(anonymous, PASSPHRASE), keys);
  });

  it('unlocks with an NFKC-equivalent passphrase', async () => {
    // U+FB01 LATIN SMALL LIGATURE FI, fullwidth letters, a combining accent: all NFKC-equal.
    const typed = await createKeystore(keys, '\uFB01le ｐａｓｓ cafe\u0301', { scrypt: FAST });
    expectSameKeys(await unlockKeystore(typed, 'file pass café'), keys);
  });

  it('never unlocks with a wrong passphrase', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 40 }),
          fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }),
          fc.constantFrom(
            'correct horse battery staple ',
            'Correct horse battery staple',
            'correct horse battery stap1e',
            'correct horse battery staplé',
            'correct horse battery stapl',
          ),
        ),
        async (wrong) => {
          fc.pre(wrong.normalize('NFKC') !== PASSPHRASE.normalize('NFKC'));
          const error = await rejection(
            () => unlockKeystore(file, wrong),
            CryptoErrorCode.KeystoreWrongPassphrase,
          );
          expect(error.message).toBe('the passphrase does not unlock this keystore');
        },
      ),
      { numRuns: 25 },
    );
  });

  it.each([
    ['straße', 'strasse'],
    ['é', 'e'],
    ['İstanbul', 'Istanbul'],
    ['Ω', 'ω'],
  ])('tells NFKC-different passphrases apart: %s vs %s', async (right, wrong) => {
    expect(right.normalize('NFKC')).not.toBe(wrong.normalize('NFKC'));
    const other = await createKeystore(keys, right, { scrypt: FAST });
    await rejection(() => unlockKeystore(other, wrong), CryptoErrorCode.KeystoreWrongPassphrase);
    expectSameKeys(await unlockKeystore(other, right), keys);
  });

  const modified = 'the keystore was modified or damaged';
  const corruptions: [
    string,
    (f: KeystoreFile) => object | string,
    Code | readonly Code[],
    string?,
  ][] = [
    [
      'a flipped bit in the ciphertext',
      (f) => ({ ...f, ciphertext: flipBase64Url(f.ciphertext, 5, 3) }),
      CryptoErrorCode.KeystoreCorrupt,
      modified,
    ],
    [
      'a flipped bit in the GCM tag',
      (f) => ({ ...f, ciphertext: flipBase64Url(f.ciphertext, 79, 7) }),
      CryptoErrorCode.KeystoreCorrupt,
      modified,
    ],
    [
      'a flipped bit in the nonce',
      (f) => ({ ...f, cipher: { ...f.cipher, nonce: flipBase64Url(f.cipher.nonce, 0) } }),
      CryptoErrorCode.KeystoreCorrupt,
      modified,
    ],
    [
      'another participantId',
      (f) => ({ ...f, participantId: 'doctor-43' }),
      CryptoErrorCode.KeystoreCorrupt,
      modified,
    ],
    [
      'a removed participantId',
      ({ participantId: _removed, ...f }) => f,
      CryptoErrorCode.KeystoreCorrupt,
      modified,
    ],
    [
      'another signing public key',
      (f) => ({
        ...f,
        publicKeys: {
          ...f.publicKeys,
          signing: toBase64Url(generateParticipantKeys().signing.publicKey),
        },
      }),
      CryptoErrorCode.KeystoreCorrupt,
      modified,
    ],
    [
      'another encryption public key',
      (f) => ({
        ...f,
        publicKeys: { ...f.publicKeys, encryption: flipBase64Url(f.publicKeys.encryption, 3) },
      }),
      CryptoErrorCode.KeystoreCorrupt,
      modified,
    ],
    [
      'another createdAt',
      (f) => ({ ...f, createdAt: '2020-01-01T00:00:00.000Z' }),
      CryptoErrorCode.KeystoreCorrupt,
      modified,
    ],
    [
      'an altered salt',
      (f) => ({ ...f, kdf: { ...f.kdf, salt: flipBase64Url(f.kdf.salt, 9) } }),
      [CryptoErrorCode.KeystoreWrongPassphrase, CryptoErrorCode.KeystoreCorrupt],
    ],
    [
      'an altered N',
      (f) => ({ ...f, kdf: { ...f.kdf, N: 2048 } }),
      [CryptoErrorCode.KeystoreWrongPassphrase, CryptoErrorCode.KeystoreCorrupt],
    ],
    [
      'an altered r',
      (f) => ({ ...f, kdf: { ...f.kdf, r: 4 } }),
      [CryptoErrorCode.KeystoreWrongPassphrase, CryptoErrorCode.KeystoreCorrupt],
    ],
    [
      'an altered check',
      (f) => ({ ...f, check: flipBase64Url(f.check, 0) }),
      CryptoErrorCode.KeystoreWrongPassphrase,
      'the passphrase does not unlock this keystore',
    ],
    [
      'format version 2',
      (f) => ({ ...f, version: 2 }),
      CryptoErrorCode.KeystoreUnsupportedVersion,
      'keystore format version 2 is not supported by this client (supports 1); upgrade the client',
    ],
    [
      'format version 2 with fields this client does not know',
      (f) => ({ ...f, version: 2, kdf: { name: 'argon2id' }, recovery: {} }),
      CryptoErrorCode.KeystoreUnsupportedVersion,
      'keystore format version 2 is not supported by this client (supports 1); upgrade the client',
    ],
    [
      'a version that is a string',
      (f) => ({ ...f, version: '1' }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: version: expected the integer 1',
    ],
    [
      'truncated JSON',
      (f) => JSON.stringify(f).slice(0, 120),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: keystore: is not valid JSON',
    ],
    [
      'empty text',
      () => '',
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: keystore: is not valid JSON',
    ],
    [
      'a JSON array',
      () => '[]',
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: keystore: expected a JSON object',
    ],
    [
      'another format',
      (f) => ({ ...f, format: 'other-keystore' }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: format: expected "sec-health-keystore"',
    ],
    [
      'another suite',
      (f) => ({ ...f, suite: 'sh2-keystore' }),
      CryptoErrorCode.KeystoreCorrupt,
      `keystore is corrupt: suite: expected "${SuiteName.KeystoreV1}"`,
    ],
    [
      'a missing ciphertext',
      ({ ciphertext: _removed, ...f }) => f,
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: ciphertext: is missing',
    ],
    [
      'a missing kdf.salt',
      (f) => ({ ...f, kdf: { ...f.kdf, salt: undefined } }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: kdf.salt: is missing',
    ],
    [
      'a missing publicKeys',
      ({ publicKeys: _removed, ...f }) => f,
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: publicKeys: is missing',
    ],
    [
      'an extra top-level field',
      (f) => ({ ...f, note: 'hello' }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: note: is not a known field',
    ],
    [
      'an extra kdf field',
      (f) => ({ ...f, kdf: { ...f.kdf, maxmem: 1 } }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: kdf.maxmem: is not a known field',
    ],
    [
      'a __proto__ field',
      (f) => JSON.stringify(f).replace('{', '{"__proto__":{"x":1},'),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: __proto__: is not a known field',
    ],
    [
      'N below 2^10',
      (f) => ({ ...f, kdf: { ...f.kdf, N: 512 } }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: kdf.N: must be a power of two from 1024 to 1048576',
    ],
    [
      'N above 2^20',
      (f) => ({ ...f, kdf: { ...f.kdf, N: 2 ** 21 } }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: kdf.N: must be a power of two from 1024 to 1048576',
    ],
    [
      'N not a power of two',
      (f) => ({ ...f, kdf: { ...f.kdf, N: 3000 } }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: kdf.N: must be a power of two from 1024 to 1048576',
    ],
    [
      'N and r needing more than 256 MiB',
      (f) => ({ ...f, kdf: { ...f.kdf, N: 2 ** 20, r: 16 } }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: kdf.N: with r = 16 needs more than 256 MiB (128·N·r)',
    ],
    [
      'r above 16',
      (f) => ({ ...f, kdf: { ...f.kdf, r: 17 } }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: kdf.r: must be an integer from 1 to 16',
    ],
    [
      'p above 4',
      (f) => ({ ...f, kdf: { ...f.kdf, p: 5 } }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: kdf.p: must be an integer from 1 to 4',
    ],
    [
      'another KDF',
      (f) => ({ ...f, kdf: { ...f.kdf, name: 'pbkdf2' } }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: kdf.name: expected "scrypt"',
    ],
    [
      'another cipher',
      (f) => ({ ...f, cipher: { ...f.cipher, name: 'aes-128-gcm' } }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: cipher.name: expected "aes-256-gcm"',
    ],
    [
      'padded base64',
      (f) => ({ ...f, check: `${f.check}=` }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: check: expected unpadded base64url text',
    ],
    [
      'standard base64 characters',
      (f) => ({ ...f, ciphertext: `+${f.ciphertext.slice(1)}` }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: ciphertext: expected unpadded base64url text',
    ],
    [
      'non-canonical base64url (unused bits set)',
      (f) => {
        // 32 bytes = 43 characters: the last one carries 4 unused bits.
        const text = f.check;
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        const last = alphabet.indexOf(text.at(-1)!);
        return { ...f, check: text.slice(0, -1) + alphabet[last ^ 1] };
      },
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: check: is not canonical base64url',
    ],
    [
      'a 16-byte salt',
      (f) => ({ ...f, kdf: { ...f.kdf, salt: toBase64Url(new Uint8Array(16)) } }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: kdf.salt: expected 32 bytes, got 16',
    ],
    [
      'a truncated ciphertext',
      (f) => ({ ...f, ciphertext: f.ciphertext.slice(0, 100) }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: ciphertext: expected 80 bytes, got 75',
    ],
    [
      'a public key of the wrong length',
      (f) => ({ ...f, publicKeys: { ...f.publicKeys, signing: toBase64Url(new Uint8Array(31)) } }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: publicKeys.signing: expected 32 bytes, got 31',
    ],
    [
      'a createdAt that is not a timestamp',
      (f) => ({ ...f, createdAt: 'yesterday' }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: createdAt: expected an ISO 8601 UTC timestamp',
    ],
    [
      'an empty participantId',
      (f) => ({ ...f, participantId: '' }),
      CryptoErrorCode.KeystoreCorrupt,
      'keystore is corrupt: participantId: expected a string of 1 to 256 characters',
    ],
  ];

  it.each(corruptions)('refuses %s', async (_what, mutate, codes, message) => {
    // JSON.stringify drops fields set to undefined, which is how "missing" cases remove one.
    const changed = mutate(clone(file));
    const input = typeof changed === 'string' ? changed : JSON.stringify(changed);
    const error = await rejection(() => unlockKeystore(input, PASSPHRASE), codes);
    if (message !== undefined) expect(error.message).toBe(message);
    if (error.code === CryptoErrorCode.KeystoreCorrupt && message?.startsWith('keystore is')) {
      // Shape errors are found before any key derivation; parseKeystore reports them the same way.
      await rejection(() => parseKeystore(input), codes);
    }
  });

  it('refuses a keystore whose secret keys do not match its public keys', async () => {
    // A file that authenticates under the right passphrase but holds another participant's secrets.
    const f = clone(file);
    const derived = await chosen.scrypt(utf8(PASSPHRASE), fromBase64Url('salt', f.kdf.salt), {
      ...FAST,
      dkLen: 64,
    });
    const { ciphertext: _ciphertext, ...header } = f;
    const other = generateParticipantKeys();
    const sealed = await chosen.aesGcmSeal(
      derived.subarray(0, 32),
      fromBase64Url('nonce', f.cipher.nonce),
      canonicalJsonBytes(header),
      concatBytes(other.signing.secretKey, other.encryption.secretKey),
    );
    const forged = { ...f, ciphertext: toBase64Url(sealed) };
    const error = await rejection(
      () => unlockKeystore(forged, PASSPHRASE),
      CryptoErrorCode.KeystoreCorrupt,
    );
    expect(error.message).toBe(modified);

    // The same construction with the right secrets unlocks: the forgery differs only in the keys.
    const genuine = await chosen.aesGcmSeal(
      derived.subarray(0, 32),
      fromBase64Url('nonce', f.cipher.nonce),
      canonicalJsonBytes(header),
      concatBytes(keys.signing.secretKey, keys.encryption.secretKey),
    );
    expectSameKeys(
      await unlockKeystore({ ...f, ciphertext: toBase64Url(genuine) }, PASSPHRASE),
      keys,
    );
  });
});

describe('keystore defaults and input checks', () => {
  it('uses the default scrypt cost when none is given', async () => {
    const previous = useBackend(nodeBackend);
    try {
      expect(DEFAULT_SCRYPT).toEqual({ N: 131072, r: 8, p: 1 });
      const keys = generateParticipantKeys();
      const file = await createKeystore(keys, PASSPHRASE);
      expect(file.kdf).toMatchObject({ name: 'scrypt', N: 131072, r: 8, p: 1 });
      expectSameKeys(await unlockKeystore(file, PASSPHRASE), keys);
    } finally {
      useBackend(previous);
    }
  });

  const keys = generateParticipantKeys();
  const otherKeys = generateParticipantKeys();
  const cases: [string, () => Promise<unknown>, string][] = [
    [
      'an empty passphrase',
      () => createKeystore(keys, '', { scrypt: FAST }),
      'passphrase: must not be empty',
    ],
    [
      'a passphrase that is not a string',
      () => createKeystore(keys, 42 as never, { scrypt: FAST }),
      'passphrase: expected a string, got number',
    ],
    [
      'a passphrase with a lone surrogate',
      () => createKeystore(keys, 'pass\uDC00', { scrypt: FAST }),
      'passphrase: contains a lone surrogate (not valid Unicode text)',
    ],
    [
      'an N below the bounds',
      () => createKeystore(keys, PASSPHRASE, { scrypt: { N: 512, r: 8, p: 1 } }),
      'options.scrypt.N: must be a power of two from 1024 to 1048576',
    ],
    [
      'an N that is not a power of two',
      () => createKeystore(keys, PASSPHRASE, { scrypt: { N: 1500, r: 8, p: 1 } }),
      'options.scrypt.N: must be a power of two from 1024 to 1048576',
    ],
    [
      'an r of 0',
      () => createKeystore(keys, PASSPHRASE, { scrypt: { N: 1024, r: 0, p: 1 } }),
      'options.scrypt.r: must be an integer from 1 to 16',
    ],
    [
      'a p of 5',
      () => createKeystore(keys, PASSPHRASE, { scrypt: { N: 1024, r: 8, p: 5 } }),
      'options.scrypt.p: must be an integer from 1 to 4',
    ],
    [
      'an empty participantId',
      () => createKeystore(keys, PASSPHRASE, { participantId: '', scrypt: FAST }),
      'options.participantId: must not be empty',
    ],
    [
      'a short secret key',
      () =>
        createKeystore(
          { ...keys, signing: { ...keys.signing, secretKey: new Uint8Array(31) } },
          PASSPHRASE,
          { scrypt: FAST },
        ),
      'keys.signing.secretKey: expected 32 bytes, got 31',
    ],
    [
      'an encryption key pair that is not an object',
      () =>
        createKeystore({ ...keys, encryption: null as never }, PASSPHRASE, {
          scrypt: FAST,
        }),
      'keys.encryption: expected a { secretKey, publicKey } key pair',
    ],
    [
      'mismatched key pairs',
      () =>
        createKeystore(
          {
            ...keys,
            encryption: { ...keys.encryption, publicKey: otherKeys.encryption.publicKey },
          },
          PASSPHRASE,
          { scrypt: FAST },
        ),
      'keys.encryption.publicKey: does not belong to keys.encryption.secretKey',
    ],
    [
      'an empty passphrase when unlocking',
      async () => unlockKeystore(await createKeystore(keys, PASSPHRASE, { scrypt: FAST }), ''),
      'passphrase: must not be empty',
    ],
  ];

  it.each(cases)('refuses %s', async (_what, action, message) => {
    const error = await rejection(action, CryptoErrorCode.InvalidInput);
    expect(error.message).toBe(message);
  });
});
