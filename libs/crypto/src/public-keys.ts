/**
 * Import checks for the public keys a participant registers (DESIGN.md section 4). Call them
 * wherever a key enters the system: registration, key rotation, a directory import. A refused key
 * throws CryptoError WeakKey naming the parameter (details: `parameter`, `reason`); a value of the
 * wrong type or length throws InvalidInput.
 *
 * Verification repeats the cheap part of the Ed25519 check on every call (see signatures.ts), so a
 * key stored before these checks existed still cannot verify a forged signature.
 */
import { ed25519 } from '@noble/curves/ed25519.js';

import { assertBytes, fromBase64Url, toBase64Url } from './bytes.js';
import { invalidInput, weakKey } from './errors.js';
import { X25519_KEY_LENGTH } from './participant-keys.js';
import {
  hasSmallOrderEd25519Encoding,
  hasSmallOrderX25519Encoding,
  isCanonicalEd25519Encoding,
  isCanonicalX25519Encoding,
} from './point-encodings.js';
import { ED25519_PUBLIC_KEY_LENGTH } from './signatures.js';

/** Unpadded base64url of 32 bytes. */
const KEY_TEXT_LENGTH = 43;

/**
 * Refuses an Ed25519 public key that is of small order (anyone can forge signatures for it), a
 * non-canonical encoding (RFC 8032 section 5.1.3), not a point on the curve, or not in the
 * prime-order subgroup (a key with a small-order component: no honest key generation produces
 * one). The last two decode the point (a few milliseconds in JavaScript), so this belongs at
 * import, not on the verification path.
 */
export function assertSigningPublicKey(
  parameter: string,
  publicKey: unknown,
): asserts publicKey is Uint8Array {
  assertBytes(parameter, publicKey, ED25519_PUBLIC_KEY_LENGTH);
  const renew = 'generate a new signing key pair';
  if (hasSmallOrderEd25519Encoding(publicKey)) {
    throw weakKey(
      parameter,
      'small-order',
      `is an Ed25519 point of small order, for which anyone can forge signatures; ${renew}`,
    );
  }
  if (!isCanonicalEd25519Encoding(publicKey)) {
    throw weakKey(
      parameter,
      'non-canonical',
      'is not a canonical Ed25519 point encoding (y >= p); send the 32 bytes the key generation returned',
    );
  }
  let point;
  try {
    point = ed25519.Point.fromBytes(publicKey, false);
  } catch {
    throw weakKey(parameter, 'not-on-curve', `is not the encoding of a point on Ed25519; ${renew}`);
  }
  if (!point.isTorsionFree()) {
    throw weakKey(
      parameter,
      'not-in-subgroup',
      `is not in the prime-order subgroup of Ed25519 (it has a small-order component); ${renew}`,
    );
  }
}

/**
 * Refuses an X25519 public key of small order (every shared secret with it is zero, RFC 7748
 * section 6.1) and non-canonical encodings (u >= p, or bit 255 set). Points on the twist are
 * accepted: X25519 is defined for them and Curve25519 is twist-secure (RFC 7748 section 5).
 */
export function assertEncryptionPublicKey(
  parameter: string,
  publicKey: unknown,
): asserts publicKey is Uint8Array {
  assertBytes(parameter, publicKey, X25519_KEY_LENGTH);
  if (hasSmallOrderX25519Encoding(publicKey)) {
    throw weakKey(
      parameter,
      'small-order',
      'is an X25519 point of small order, for which every shared secret is zero; generate a new encryption key pair',
    );
  }
  if (!isCanonicalX25519Encoding(publicKey)) {
    throw weakKey(
      parameter,
      'non-canonical',
      'is not a canonical X25519 encoding (u >= p, or bit 255 set); send the 32 bytes the key generation returned',
    );
  }
}

/** Decodes unpadded base64url text (43 characters, canonical) and applies {@link assertSigningPublicKey}. */
export function decodeSigningPublicKey(parameter: string, text: string): Uint8Array {
  const publicKey = decodeKeyText(parameter, text);
  assertSigningPublicKey(parameter, publicKey);
  return publicKey;
}

/** Decodes unpadded base64url text (43 characters, canonical) and applies {@link assertEncryptionPublicKey}. */
export function decodeEncryptionPublicKey(parameter: string, text: string): Uint8Array {
  const publicKey = decodeKeyText(parameter, text);
  assertEncryptionPublicKey(parameter, publicKey);
  return publicKey;
}

/**
 * Two texts must not name one key: the last character of 32 bytes in base64url carries two unused
 * bits, which a lenient decoder ignores, so only the canonical text is accepted.
 */
function decodeKeyText(parameter: string, text: unknown): Uint8Array {
  if (typeof text !== 'string' || text.length !== KEY_TEXT_LENGTH) {
    throw invalidInput(
      parameter,
      `expected ${KEY_TEXT_LENGTH} characters of unpadded base64url (32 bytes)`,
    );
  }
  const bytes = fromBase64Url(parameter, text);
  if (toBase64Url(bytes) !== text) {
    throw invalidInput(
      parameter,
      'is not canonical base64url (the unused bits of its last character are not zero)',
    );
  }
  return bytes;
}
