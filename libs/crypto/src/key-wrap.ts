/**
 * Key wrapping (DESIGN.md section 5): HPKE base mode, RFC 9180, with DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256 and AES-256-GCM. A data key or a bundle of shares is sealed to a participant's X25519
 * public key; HPKE `info` binds the result to its purpose and ids, so a key wrapped for one record
 * or grant cannot be passed off as another.
 *
 * Serialized form: SuiteTag.HpkeWrapV1 (1 byte) ‖ enc (32) ‖ HPKE ciphertext (plaintext + 16).
 */
import { DecapError, EncapError, OpenError, type KeyPair } from 'hpke';

import { assertBytes, assertString } from './bytes.js';
import { canonicalJsonBytes } from './canonical-json.js';
import { CryptoError, CryptoErrorCode, invalidInput, isCryptoError, weakKey } from './errors.js';
import { X25519_LENGTH, X25519Key } from './hpke/dhkem-x25519.js';
import { wrapSuite } from './hpke/native-suite.js';
import type { EncryptionKeyPair } from './participant-keys.js';
import { assertEncryptionPublicKey } from './public-keys.js';
import { SuiteName, SuiteTag } from './suite.js';

/** Binds a wrapped value to its purpose and ids; becomes HPKE `info` = canonical JSON of {suite, ...context}. */
export interface WrapContext {
  readonly purpose: string;
  readonly [id: string]: string;
}

const WRAPPED_KEY_PLAINTEXT_LENGTH = 32;
const TAG_LENGTH = 16;
const HEADER_LENGTH = 1 + X25519_LENGTH;
const MIN_SEALED_LENGTH = HEADER_LENGTH + TAG_LENGTH;
const MAX_PLAINTEXT_LENGTH = 16 * 1024 * 1024;
const MAX_SEALED_LENGTH = MIN_SEALED_LENGTH + MAX_PLAINTEXT_LENGTH;
const MAX_CONTEXT_KEYS = 16;
const MAX_CONTEXT_TEXT = 256;
const EMPTY = new Uint8Array(0);
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Length of a wrapped 32-byte key: tag (1) + enc (32) + key (32) + GCM tag (16) = 81. */
export const WRAPPED_KEY_LENGTH = HEADER_LENGTH + WRAPPED_KEY_PLAINTEXT_LENGTH + TAG_LENGTH;

/**
 * Wraps a 32-byte key (a record DEK or a share) to `recipientPublicKey`, bound to `context`. A
 * recipient key of small order or in a non-canonical encoding throws CryptoError WeakKey.
 */
export async function wrapKey(
  recipientPublicKey: Uint8Array,
  key: Uint8Array,
  context: WrapContext,
): Promise<Uint8Array> {
  assertEncryptionPublicKey('recipientPublicKey', recipientPublicKey);
  assertBytes('key', key, WRAPPED_KEY_PLAINTEXT_LENGTH);
  return seal(recipientPublicKey, key, contextInfo(context), EMPTY);
}

/**
 * Unwraps a key made by {@link wrapKey}. `recipient` is the X25519 secret key or, cheaper (one
 * scalar multiplication less), the whole key pair. Throws CryptoError UnwrapFailed when the value
 * is not addressed to this key, was altered, or was wrapped for another purpose or other ids.
 */
export async function unwrapKey(
  recipient: Uint8Array | EncryptionKeyPair,
  wrapped: Uint8Array,
  context: WrapContext,
): Promise<Uint8Array> {
  const keys = recipientKeys(recipient);
  assertBytes('wrapped', wrapped);
  if (wrapped.length > 0) assertSuiteTag('wrapped', wrapped);
  if (wrapped.length !== WRAPPED_KEY_LENGTH) {
    throw malformed(
      'wrapped',
      `wrapped key is ${wrapped.length} bytes, expected ${WRAPPED_KEY_LENGTH}`,
      wrapped.length,
    );
  }
  return open(keys, wrapped, contextInfo(context), EMPTY, 'unwrap');
}

/**
 * Seals an arbitrary payload (up to 16 MiB, e.g. a bundle of shares re-wrapped to a physician) to
 * `recipientPublicKey`, bound to `context` and to the optional `aad`, which is not encrypted and
 * must be given again to open. Refuses the same recipient keys as {@link wrapKey}.
 */
export async function sealToRecipient(
  recipientPublicKey: Uint8Array,
  plaintext: Uint8Array,
  context: WrapContext,
  aad?: Uint8Array,
): Promise<Uint8Array> {
  assertEncryptionPublicKey('recipientPublicKey', recipientPublicKey);
  assertBytes('plaintext', plaintext);
  if (plaintext.length > MAX_PLAINTEXT_LENGTH) {
    throw invalidInput(
      'plaintext',
      `is ${plaintext.length} bytes, at most ${MAX_PLAINTEXT_LENGTH} allowed`,
    );
  }
  const info = contextInfo(context);
  return seal(recipientPublicKey, plaintext, info, optionalAad(aad));
}

/** Opens a message made by {@link sealToRecipient}; same failure rules as {@link unwrapKey}, plus `aad`. */
export async function openFromSender(
  recipient: Uint8Array | EncryptionKeyPair,
  sealed: Uint8Array,
  context: WrapContext,
  aad?: Uint8Array,
): Promise<Uint8Array> {
  const keys = recipientKeys(recipient);
  assertBytes('sealed', sealed);
  if (sealed.length > 0) assertSuiteTag('sealed', sealed);
  if (sealed.length < MIN_SEALED_LENGTH) {
    throw malformed(
      'sealed',
      `sealed message is ${sealed.length} bytes, expected at least ${MIN_SEALED_LENGTH}`,
      sealed.length,
    );
  }
  if (sealed.length > MAX_SEALED_LENGTH) {
    throw malformed(
      'sealed',
      `sealed message is ${sealed.length} bytes, more than the maximum ${MAX_SEALED_LENGTH}`,
      sealed.length,
    );
  }
  const info = contextInfo(context);
  return open(keys, sealed, info, optionalAad(aad), 'open');
}

async function seal(
  recipientPublicKey: Uint8Array,
  plaintext: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  let setup;
  try {
    setup = await wrapSuite().SetupSender(X25519Key.public(recipientPublicKey), { info });
  } catch (error) {
    const cause = error instanceof EncapError ? error.cause : error;
    // The backends refuse an all-zero X25519 shared secret (RFC 7748 section 6.1). The key checks
    // above already refuse every small-order point; this stays as the second line of defence.
    if (isCryptoError(cause, CryptoErrorCode.InvalidInput)) {
      throw weakKey(
        'recipientPublicKey',
        'small-order',
        'is a low-order X25519 point (the shared secret would be zero)',
      );
    }
    throw error;
  }
  const ciphertext = await setup.ctx.Seal(plaintext, aad);
  const out = new Uint8Array(HEADER_LENGTH + ciphertext.length);
  out[0] = SuiteTag.HpkeWrapV1;
  out.set(setup.encapsulatedSecret, 1);
  out.set(ciphertext, HEADER_LENGTH);
  return out;
}

async function open(
  keys: X25519Key | KeyPair<X25519Key>,
  serialized: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
  verb: 'unwrap' | 'open',
): Promise<Uint8Array> {
  const enc = serialized.subarray(1, HEADER_LENGTH);
  const ciphertext = serialized.subarray(HEADER_LENGTH);
  try {
    const ctx = await wrapSuite().SetupRecipient(keys, enc, { info });
    return await ctx.Open(ciphertext, aad);
  } catch (error) {
    // DecapError: enc is a low-order point (altered); OpenError: the AEAD tag does not verify.
    if (error instanceof DecapError || error instanceof OpenError || isCryptoError(error)) {
      throw new CryptoError(
        CryptoErrorCode.UnwrapFailed,
        `could not ${verb}: not addressed to this key, or altered, or a different purpose/ids${verb === 'open' ? ' or aad' : ''}`,
      );
    }
    throw error;
  }
}

function recipientKeys(recipient: unknown): X25519Key | KeyPair<X25519Key> {
  if (recipient instanceof Uint8Array) {
    assertBytes('recipient', recipient, X25519_LENGTH);
    return X25519Key.private(recipient);
  }
  if (typeof recipient === 'object' && recipient !== null && 'secretKey' in recipient) {
    const { secretKey, publicKey } = recipient as Partial<EncryptionKeyPair>;
    assertBytes('recipient.secretKey', secretKey, X25519_LENGTH);
    assertBytes('recipient.publicKey', publicKey, X25519_LENGTH);
    // A public key that does not belong to the secret key makes opening fail (UnwrapFailed).
    return { privateKey: X25519Key.private(secretKey), publicKey: X25519Key.public(publicKey) };
  }
  throw invalidInput('recipient', 'expected a 32-byte X25519 secret key or an EncryptionKeyPair');
}

function optionalAad(aad: unknown): Uint8Array {
  if (aad === undefined) return EMPTY;
  assertBytes('aad', aad);
  return aad;
}

function assertSuiteTag(parameter: string, serialized: Uint8Array): void {
  const tag = serialized[0] as number;
  if (tag !== SuiteTag.HpkeWrapV1) {
    throw new CryptoError(
      CryptoErrorCode.UnsupportedSuite,
      `${parameter}: unknown suite tag 0x${tag.toString(16).padStart(2, '0')}, expected 0x${SuiteTag.HpkeWrapV1.toString(16)} (${SuiteName.HpkeWrapV1})`,
      { parameter, tag },
    );
  }
}

function malformed(parameter: string, message: string, length: number): CryptoError {
  return new CryptoError(CryptoErrorCode.Malformed, message, { parameter, length });
}

/** Validates `context` and returns the HPKE info: canonical JSON (RFC 8785) of {suite, ...context}. */
function contextInfo(context: unknown): Uint8Array {
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    throw invalidInput('context', 'expected a plain object of string values');
  }
  const proto = Object.getPrototypeOf(context) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    throw invalidInput('context', 'expected a plain object of string values');
  }
  const entries = Object.entries(context);
  if (entries.length > MAX_CONTEXT_KEYS) {
    throw invalidInput(
      'context',
      `has ${entries.length} keys, at most ${MAX_CONTEXT_KEYS} allowed`,
    );
  }
  if (!Object.hasOwn(context, 'purpose')) throw invalidInput('context.purpose', 'is required');
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > MAX_CONTEXT_TEXT || LONE_SURROGATE.test(key)) {
      throw invalidInput(
        'context',
        `keys must be 1 to ${MAX_CONTEXT_TEXT} characters of well-formed text`,
      );
    }
    if (key === 'suite') throw invalidInput('context.suite', 'is reserved for the suite name');
    assertString(`context.${key}`, value, MAX_CONTEXT_TEXT);
    if (LONE_SURROGATE.test(value))
      throw invalidInput(`context.${key}`, 'is not well-formed Unicode text');
  }
  return canonicalJsonBytes({ ...Object.fromEntries(entries), suite: SuiteName.HpkeWrapV1 });
}
