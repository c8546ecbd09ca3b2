import { backend } from './backend/active.js';
import { assertBytes, fromBase64Url } from './bytes.js';
import { canonicalJsonBytes } from './canonical-json.js';
import { CryptoError, CryptoErrorCode } from './errors.js';
import { isReducedEd25519Scalar, isStrictEd25519Encoding } from './point-encodings.js';

export const ED25519_SEED_LENGTH = 32;
export const ED25519_PUBLIC_KEY_LENGTH = 32;
export const ED25519_SIGNATURE_LENGTH = 64;

export interface SigningKeyPair {
  /** 32-byte Ed25519 seed (RFC 8032 private key). */
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export function generateSigningKeyPair(): SigningKeyPair {
  const secretKey = backend().randomBytes(ED25519_SEED_LENGTH);
  return { secretKey, publicKey: backend().ed25519PublicKey(secretKey) };
}

export function signingPublicKey(secretKey: Uint8Array): Uint8Array {
  assertBytes('secretKey', secretKey, ED25519_SEED_LENGTH);
  return backend().ed25519PublicKey(secretKey);
}

/** Ed25519 signature (RFC 8032) of raw bytes. */
export function signBytes(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  assertBytes('secretKey', secretKey, ED25519_SEED_LENGTH);
  assertBytes('message', message);
  return backend().ed25519Sign(secretKey, message);
}

/**
 * Ed25519 verification (RFC 8032 section 5.1.7, cofactorless) with strict acceptance rules, the
 * same on every backend: false when the public key A or the signature's R is of small order or not
 * canonically encoded, or when S is not below the group order L. Without these rules OpenSSL (and
 * so node:crypto) accepts the identity key with the signature identity ‖ 0 for every message.
 * These checks read bytes only; the import-time checks of `assertSigningPublicKey` go further.
 */
export function verifyBytes(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  assertBytes('publicKey', publicKey, ED25519_PUBLIC_KEY_LENGTH);
  assertBytes('message', message);
  assertBytes('signature', signature, ED25519_SIGNATURE_LENGTH);
  if (
    !isStrictEd25519Encoding(publicKey) ||
    !isStrictEd25519Encoding(signature, 0) ||
    !isReducedEd25519Scalar(signature, 32)
  ) {
    return false;
  }
  return backend().ed25519Verify(publicKey, message, signature);
}

/** Signs the RFC 8785 canonical JSON of `value`. */
export function signCanonical(secretKey: Uint8Array, value: unknown): Uint8Array {
  return signBytes(secretKey, canonicalJsonBytes(value));
}

export function verifyCanonical(
  publicKey: Uint8Array,
  value: unknown,
  signature: Uint8Array,
): boolean {
  return verifyBytes(publicKey, canonicalJsonBytes(value), signature);
}

/**
 * verifyCanonical for a public key and a signature as they travel (unpadded base64url): false,
 * never an exception, when either does not decode, has the wrong length, or does not verify. For
 * a verifier, a malformed signature is as invalid as a wrong one.
 */
export function verifyCanonicalEncoded(
  publicKey: string,
  value: unknown,
  signature: string,
): boolean {
  try {
    return verifyCanonical(
      fromBase64Url('publicKey', publicKey),
      value,
      fromBase64Url('signature', signature),
    );
  } catch {
    return false;
  }
}

/**
 * Like verifyCanonical (same strict rules), but throws CryptoError(SignatureInvalid) naming `what`
 * when it does not verify.
 */
export function assertCanonicalSignature(
  publicKey: Uint8Array,
  value: unknown,
  signature: Uint8Array,
  what = 'signature',
): void {
  if (!verifyCanonical(publicKey, value, signature)) {
    throw new CryptoError(
      CryptoErrorCode.SignatureInvalid,
      `${what} does not verify against the signer's public key`,
      {
        what,
      },
    );
  }
}
