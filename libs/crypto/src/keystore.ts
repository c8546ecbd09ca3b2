import { backend } from './backend/active.js';
import { GCM_TAG_LENGTH } from './backend/shared.js';
import {
  assertBytes,
  assertString,
  concatBytes,
  constantTimeEqual,
  fromBase64Url,
  toBase64Url,
  utf8,
  zeroize,
} from './bytes.js';
import { canonicalJsonBytes } from './canonical-json.js';
import { CryptoError, CryptoErrorCode, invalidInput, isCryptoError } from './errors.js';
import { X25519_KEY_LENGTH, type ParticipantKeys } from './participant-keys.js';
import { ED25519_PUBLIC_KEY_LENGTH, ED25519_SEED_LENGTH } from './signatures.js';
import { SuiteName } from './suite.js';
import { assertWellFormedText } from './unicode.js';

/**
 * A participant's encrypted keystore (DESIGN.md section 4), version 1, as stored on disk (JSON).
 * Binary fields are unpadded base64url.
 */
export interface KeystoreFile {
  readonly format: 'sec-health-keystore';
  readonly version: 1;
  readonly suite: typeof SuiteName.KeystoreV1;
  readonly participantId?: string;
  /** ISO 8601 UTC time of creation. */
  readonly createdAt: string;
  /** The participant's Ed25519 and X25519 public keys (32 bytes each). */
  readonly publicKeys: { readonly signing: string; readonly encryption: string };
  /** scrypt over the NFKC-normalized UTF-8 passphrase; 32-byte salt. */
  readonly kdf: {
    readonly name: 'scrypt';
    readonly N: number;
    readonly r: number;
    readonly p: number;
    readonly salt: string;
  };
  /** 12-byte nonce. */
  readonly cipher: { readonly name: 'aes-256-gcm'; readonly nonce: string };
  /** SHA-256 of the second half of the scrypt output: tells a wrong passphrase from corruption. */
  readonly check: string;
  /** AES-256-GCM(signing seed ‖ X25519 secret key) ‖ tag; AAD = canonical JSON of every other field. */
  readonly ciphertext: string;
}

export interface KeystoreOptions {
  readonly participantId?: string;
  /** scrypt cost; defaults to DEFAULT_SCRYPT. N a power of two in [2^10, 2^20], r 1..16, p 1..4. */
  readonly scrypt?: { readonly N: number; readonly r: number; readonly p: number };
}

/** scrypt cost for new keystores: 128 MiB of memory, about 0.3 s per derivation natively here. */
export const DEFAULT_SCRYPT: { readonly N: 131072; readonly r: 8; readonly p: 1 } = Object.freeze({
  N: 131072,
  r: 8,
  p: 1,
});

const FORMAT = 'sec-health-keystore';
const VERSION = 1;
const KDF_NAME = 'scrypt';
const CIPHER_NAME = 'aes-256-gcm';

const SALT_LENGTH = 32;
const NONCE_LENGTH = 12;
const AES_KEY_LENGTH = 32;
const CHECK_KEY_LENGTH = 32;
const DERIVED_LENGTH = AES_KEY_LENGTH + CHECK_KEY_LENGTH;
const CHECK_LENGTH = 32;
const PLAINTEXT_LENGTH = ED25519_SEED_LENGTH + X25519_KEY_LENGTH;
const CIPHERTEXT_LENGTH = PLAINTEXT_LENGTH + GCM_TAG_LENGTH;

// Bounds on the scrypt cost, checked when creating and when parsing: a hostile file must not make
// the client spend unbounded memory or time. scrypt needs 128·N·r bytes: capped at 256 MiB.
const N_MIN = 2 ** 10;
const N_MAX = 2 ** 20;
const R_MAX = 16;
const P_MAX = 4;
const MEMORY_MAX = 256 * 1024 * 1024;

const PARTICIPANT_ID_MAX_LENGTH = 256;
const PASSPHRASE_MAX_LENGTH = 1024;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

const TOP_FIELDS = [
  'format',
  'version',
  'suite',
  'participantId',
  'createdAt',
  'publicKeys',
  'kdf',
  'cipher',
  'check',
  'ciphertext',
] as const;

/**
 * Encrypts `keys` under `passphrase` (normalized to NFKC): scrypt derives 64 bytes, the first 32
 * are the AES-256-GCM key, SHA-256 of the last 32 is stored as `check`. The secret keys are the
 * plaintext; every other field of the file is the AAD, so none can be changed unnoticed.
 */
export async function createKeystore(
  keys: ParticipantKeys,
  passphrase: string,
  options: KeystoreOptions = {},
): Promise<KeystoreFile> {
  assertKeys(keys);
  if (typeof options !== 'object' || options === null) {
    throw invalidInput('options', 'expected an options object');
  }
  const { participantId } = options;
  if (participantId !== undefined) {
    assertString('options.participantId', participantId, PARTICIPANT_ID_MAX_LENGTH);
    assertWellFormedText('options.participantId', participantId);
  }
  const cost = options.scrypt ?? DEFAULT_SCRYPT;
  if (typeof cost !== 'object' || cost === null) {
    throw invalidInput('options.scrypt', 'expected { N, r, p }');
  }
  const costProblem = scryptCostProblem(cost);
  if (costProblem) throw invalidInput(`options.scrypt.${costProblem.field}`, costProblem.problem);
  const secret = passphraseBytes(passphrase);

  const b = backend();
  const salt = b.randomBytes(SALT_LENGTH);
  const nonce = b.randomBytes(NONCE_LENGTH);
  let derived: Uint8Array | undefined;
  let plaintext: Uint8Array | undefined;
  try {
    derived = await b.scrypt(secret, salt, {
      N: cost.N,
      r: cost.r,
      p: cost.p,
      dkLen: DERIVED_LENGTH,
    });
    const header: Omit<KeystoreFile, 'ciphertext'> = {
      format: FORMAT,
      version: VERSION,
      suite: SuiteName.KeystoreV1,
      ...(participantId === undefined ? {} : { participantId }),
      createdAt: new Date().toISOString(),
      publicKeys: {
        signing: toBase64Url(keys.signing.publicKey),
        encryption: toBase64Url(keys.encryption.publicKey),
      },
      kdf: { name: KDF_NAME, N: cost.N, r: cost.r, p: cost.p, salt: toBase64Url(salt) },
      cipher: { name: CIPHER_NAME, nonce: toBase64Url(nonce) },
      check: toBase64Url(b.sha256(derived.subarray(AES_KEY_LENGTH))),
    };
    plaintext = concatBytes(keys.signing.secretKey, keys.encryption.secretKey);
    const sealed = await b.aesGcmSeal(
      derived.subarray(0, AES_KEY_LENGTH),
      nonce,
      keystoreAad(header),
      plaintext,
    );
    return { ...header, ciphertext: toBase64Url(sealed) };
  } finally {
    zeroize(secret, derived, plaintext);
  }
}

/**
 * Validates a keystore (JSON text or parsed value) strictly and returns a clean copy. Throws
 * CryptoError: KeystoreUnsupportedVersion for another format version, KeystoreCorrupt (naming the
 * field) for anything else that is not a well-formed version 1 keystore, including unknown fields
 * and scrypt costs outside the accepted bounds.
 */
export function parseKeystore(input: unknown): KeystoreFile {
  return decodeKeystore(input).file;
}

/**
 * Decrypts a keystore (JSON text, a KeystoreFile or any parsed value: it is validated like
 * parseKeystore does) with `passphrase` and returns the participant's keys. Throws CryptoError:
 * KeystoreWrongPassphrase when the passphrase does not derive the stored check value,
 * KeystoreCorrupt when the file is malformed or was changed (AEAD fails, or the secret keys do not
 * match the public keys in the file), KeystoreUnsupportedVersion for another format version.
 */
export async function unlockKeystore(input: unknown, passphrase: string): Promise<ParticipantKeys> {
  const decoded = decodeKeystore(input);
  const { file } = decoded;
  const secret = passphraseBytes(passphrase);
  const b = backend();
  let derived: Uint8Array | undefined;
  let plaintext: Uint8Array | undefined;
  try {
    derived = await b.scrypt(secret, decoded.salt, {
      N: file.kdf.N,
      r: file.kdf.r,
      p: file.kdf.p,
      dkLen: DERIVED_LENGTH,
    });
    if (!constantTimeEqual(b.sha256(derived.subarray(AES_KEY_LENGTH)), decoded.check)) {
      throw new CryptoError(
        CryptoErrorCode.KeystoreWrongPassphrase,
        'the passphrase does not unlock this keystore',
      );
    }
    const { ciphertext: _ciphertext, ...header } = file;
    try {
      plaintext = await b.aesGcmOpen(
        derived.subarray(0, AES_KEY_LENGTH),
        decoded.nonce,
        keystoreAad(header),
        decoded.ciphertext,
      );
    } catch (error) {
      if (isCryptoError(error, CryptoErrorCode.DecryptionFailed)) throw modified();
      throw error;
    }
    if (plaintext.length !== PLAINTEXT_LENGTH) throw modified();
    const signingSecret = plaintext.slice(0, ED25519_SEED_LENGTH);
    const encryptionSecret = plaintext.slice(ED25519_SEED_LENGTH);
    const signingPublic = b.ed25519PublicKey(signingSecret);
    const encryptionPublic = b.x25519PublicKey(encryptionSecret);
    if (
      !constantTimeEqual(signingPublic, decoded.signingPublicKey) ||
      !constantTimeEqual(encryptionPublic, decoded.encryptionPublicKey)
    ) {
      zeroize(signingSecret, encryptionSecret);
      throw modified();
    }
    return {
      signing: { secretKey: signingSecret, publicKey: signingPublic },
      encryption: { secretKey: encryptionSecret, publicKey: encryptionPublic },
    };
  } finally {
    zeroize(secret, derived, plaintext);
  }
}

/** AAD: UTF-8 of the RFC 8785 canonical JSON of every field but `ciphertext`. */
function keystoreAad(header: Omit<KeystoreFile, 'ciphertext'>): Uint8Array {
  return canonicalJsonBytes(header);
}

interface DecodedKeystore {
  readonly file: KeystoreFile;
  readonly salt: Uint8Array;
  readonly nonce: Uint8Array;
  readonly check: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly signingPublicKey: Uint8Array;
  readonly encryptionPublicKey: Uint8Array;
}

function decodeKeystore(input: unknown): DecodedKeystore {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input) as unknown;
    } catch {
      throw corrupt('keystore', 'is not valid JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw corrupt('keystore', 'expected a JSON object');
  }
  // Format and version first: a later version may have other fields, and deserves its own error.
  const { format, version } = value as { format?: unknown; version?: unknown };
  if (format !== FORMAT) throw corrupt('format', `expected "${FORMAT}"`);
  if (version !== VERSION) {
    if (typeof version === 'number' && Number.isSafeInteger(version) && version > 0) {
      throw new CryptoError(
        CryptoErrorCode.KeystoreUnsupportedVersion,
        `keystore format version ${version} is not supported by this client (supports ${VERSION}); upgrade the client`,
        { version, supported: VERSION },
      );
    }
    throw corrupt('version', `expected the integer ${VERSION}`);
  }
  const top = record('keystore', value, TOP_FIELDS, ['participantId']);
  if (top.suite !== SuiteName.KeystoreV1)
    throw corrupt('suite', `expected "${SuiteName.KeystoreV1}"`);

  let participantId: string | undefined;
  if ('participantId' in top) {
    const id = top.participantId;
    if (typeof id !== 'string' || id.length === 0 || id.length > PARTICIPANT_ID_MAX_LENGTH) {
      throw corrupt(
        'participantId',
        `expected a string of 1 to ${PARTICIPANT_ID_MAX_LENGTH} characters`,
      );
    }
    try {
      assertWellFormedText('participantId', id);
    } catch {
      throw corrupt('participantId', 'contains a lone surrogate');
    }
    participantId = id;
  }

  const createdAt = top.createdAt;
  if (
    typeof createdAt !== 'string' ||
    !ISO_UTC.test(createdAt) ||
    Number.isNaN(Date.parse(createdAt))
  ) {
    throw corrupt('createdAt', 'expected an ISO 8601 UTC timestamp');
  }

  const publicKeys = record('publicKeys', top.publicKeys, ['signing', 'encryption']);
  const signingPublicKey = binary(
    'publicKeys.signing',
    publicKeys.signing,
    ED25519_PUBLIC_KEY_LENGTH,
  );
  const encryptionPublicKey = binary(
    'publicKeys.encryption',
    publicKeys.encryption,
    X25519_KEY_LENGTH,
  );

  const kdf = record('kdf', top.kdf, ['name', 'N', 'r', 'p', 'salt']);
  if (kdf.name !== KDF_NAME) throw corrupt('kdf.name', `expected "${KDF_NAME}"`);
  const cost = { N: kdf.N, r: kdf.r, p: kdf.p };
  const costProblem = scryptCostProblem(cost);
  if (costProblem) throw corrupt(`kdf.${costProblem.field}`, costProblem.problem);
  const salt = binary('kdf.salt', kdf.salt, SALT_LENGTH);

  const cipher = record('cipher', top.cipher, ['name', 'nonce']);
  if (cipher.name !== CIPHER_NAME) throw corrupt('cipher.name', `expected "${CIPHER_NAME}"`);
  const nonce = binary('cipher.nonce', cipher.nonce, NONCE_LENGTH);

  const check = binary('check', top.check, CHECK_LENGTH);
  const ciphertext = binary('ciphertext', top.ciphertext, CIPHERTEXT_LENGTH);

  const file: KeystoreFile = {
    format: FORMAT,
    version: VERSION,
    suite: SuiteName.KeystoreV1,
    ...(participantId === undefined ? {} : { participantId }),
    createdAt,
    publicKeys: {
      signing: publicKeys.signing as string,
      encryption: publicKeys.encryption as string,
    },
    kdf: {
      name: KDF_NAME,
      N: kdf.N as number,
      r: kdf.r as number,
      p: kdf.p as number,
      salt: kdf.salt as string,
    },
    cipher: { name: CIPHER_NAME, nonce: cipher.nonce as string },
    check: top.check as string,
    ciphertext: top.ciphertext as string,
  };
  return { file, salt, nonce, check, ciphertext, signingPublicKey, encryptionPublicKey };
}

/** A plain JSON object with exactly `fields` (those in `optional` may be absent), else KeystoreCorrupt. */
function record(
  path: string,
  value: unknown,
  fields: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw corrupt(path, 'expected a JSON object');
  }
  const prefix = path === 'keystore' ? '' : `${path}.`;
  for (const key of Object.keys(value)) {
    if (!fields.includes(key)) throw corrupt(`${prefix}${key}`, 'is not a known field');
  }
  for (const field of fields) {
    if (!Object.hasOwn(value, field) && !optional.includes(field)) {
      throw corrupt(`${prefix}${field}`, 'is missing');
    }
  }
  return value as Record<string, unknown>;
}

/** Canonical unpadded base64url of exactly `length` bytes, else KeystoreCorrupt. */
function binary(field: string, value: unknown, length: number): Uint8Array {
  let bytes: Uint8Array;
  try {
    if (typeof value !== 'string') throw new TypeError();
    bytes = fromBase64Url(field, value);
  } catch {
    throw corrupt(field, 'expected unpadded base64url text');
  }
  // Only one text per byte string: a changed character must never decode to the same bytes.
  if (toBase64Url(bytes) !== value) throw corrupt(field, 'is not canonical base64url');
  if (bytes.length !== length)
    throw corrupt(field, `expected ${length} bytes, got ${bytes.length}`);
  return bytes;
}

function scryptCostProblem(cost: {
  readonly N: unknown;
  readonly r: unknown;
  readonly p: unknown;
}): { field: 'N' | 'r' | 'p'; problem: string } | undefined {
  const { N, r, p } = cost;
  if (!isIntegerIn(N, N_MIN, N_MAX) || (N & (N - 1)) !== 0) {
    return { field: 'N', problem: `must be a power of two from ${N_MIN} to ${N_MAX}` };
  }
  if (!isIntegerIn(r, 1, R_MAX))
    return { field: 'r', problem: `must be an integer from 1 to ${R_MAX}` };
  if (!isIntegerIn(p, 1, P_MAX))
    return { field: 'p', problem: `must be an integer from 1 to ${P_MAX}` };
  if (128 * N * r > MEMORY_MAX) {
    return {
      field: 'N',
      problem: `with r = ${r} needs more than ${MEMORY_MAX / 2 ** 20} MiB (128·N·r)`,
    };
  }
  return undefined;
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

/** UTF-8 of the NFKC-normalized passphrase: the same passphrase typed on any system gives the same key. */
function passphraseBytes(passphrase: unknown): Uint8Array {
  assertString('passphrase', passphrase, PASSPHRASE_MAX_LENGTH);
  assertWellFormedText('passphrase', passphrase);
  const normalized = passphrase.normalize('NFKC');
  if (normalized.length === 0) throw invalidInput('passphrase', 'must not be empty');
  return utf8(normalized);
}

function assertKeys(keys: ParticipantKeys): void {
  if (typeof keys !== 'object' || keys === null) {
    throw invalidInput('keys', 'expected { signing, encryption } key pairs');
  }
  for (const kind of ['signing', 'encryption'] as const) {
    const pair = keys[kind] as unknown;
    if (typeof pair !== 'object' || pair === null) {
      throw invalidInput(`keys.${kind}`, 'expected a { secretKey, publicKey } key pair');
    }
  }
  assertBytes('keys.signing.secretKey', keys.signing.secretKey, ED25519_SEED_LENGTH);
  assertBytes('keys.signing.publicKey', keys.signing.publicKey, ED25519_PUBLIC_KEY_LENGTH);
  assertBytes('keys.encryption.secretKey', keys.encryption.secretKey, X25519_KEY_LENGTH);
  assertBytes('keys.encryption.publicKey', keys.encryption.publicKey, X25519_KEY_LENGTH);
  const b = backend();
  if (!constantTimeEqual(b.ed25519PublicKey(keys.signing.secretKey), keys.signing.publicKey)) {
    throw invalidInput('keys.signing.publicKey', 'does not belong to keys.signing.secretKey');
  }
  if (!constantTimeEqual(b.x25519PublicKey(keys.encryption.secretKey), keys.encryption.publicKey)) {
    throw invalidInput('keys.encryption.publicKey', 'does not belong to keys.encryption.secretKey');
  }
}

function corrupt(field: string, problem: string): CryptoError {
  return new CryptoError(
    CryptoErrorCode.KeystoreCorrupt,
    `keystore is corrupt: ${field}: ${problem}`,
    {
      field,
    },
  );
}

/** The passphrase is right (the check matched) but the content does not authenticate. */
function modified(): CryptoError {
  return new CryptoError(CryptoErrorCode.KeystoreCorrupt, 'the keystore was modified or damaged');
}
