import { backend } from './backend/active.js';
import { assertBytes } from './bytes.js';
import { canonicalJsonBytes } from './canonical-json.js';
import { CryptoError, CryptoErrorCode } from './errors.js';

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

export function verifyBytes(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  assertBytes('publicKey', publicKey, ED25519_PUBLIC_KEY_LENGTH);
  assertBytes('message', message);
  assertBytes('signature', signature, ED25519_SIGNATURE_LENGTH);
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

/** Like verifyCanonical, but throws CryptoError(SignatureInvalid) naming `what` when it does not verify. */
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
