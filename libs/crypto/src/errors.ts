import { CodedError, errorGuard } from '@sec-health/errors';

/** Every failure of this library is a CryptoError with one of these codes. */
export const CryptoErrorCode = {
  /** An argument has the wrong type, size or range; the message names the parameter. */
  InvalidInput: 'CRYPTO_INVALID_INPUT',
  /** Serialized bytes or JSON are truncated, empty or not in the expected layout. */
  Malformed: 'CRYPTO_MALFORMED',
  /** The suite or format tag is not one this version understands. */
  UnsupportedSuite: 'CRYPTO_UNSUPPORTED_SUITE',
  /** AEAD authentication failed: wrong key, or ciphertext, tag, nonce or bound metadata changed. */
  DecryptionFailed: 'CRYPTO_DECRYPTION_FAILED',
  /** An HPKE-wrapped key or message could not be opened with this key and context. */
  UnwrapFailed: 'CRYPTO_UNWRAP_FAILED',
  /**
   * A public key is not acceptable as a participant's key: an Ed25519 or X25519 point of small
   * order, a non-canonical encoding, or (Ed25519) not a point of the prime-order subgroup. The
   * message names the parameter; the holder must generate a new key pair.
   */
  WeakKey: 'CRYPTO_WEAK_KEY',
  /** An Ed25519 signature does not verify. */
  SignatureInvalid: 'CRYPTO_SIGNATURE_INVALID',
  /** The same share (by index or by value) was given more than once. */
  DuplicateShare: 'CRYPTO_DUPLICATE_SHARE',
  /** Fewer good shares than the threshold. */
  InsufficientShares: 'CRYPTO_INSUFFICIENT_SHARES',
  /** The keystore's format version is unknown. */
  KeystoreUnsupportedVersion: 'CRYPTO_KEYSTORE_UNSUPPORTED_VERSION',
  /** The keystore file is damaged or was modified. */
  KeystoreCorrupt: 'CRYPTO_KEYSTORE_CORRUPT',
  /** The passphrase does not unlock this keystore. */
  KeystoreWrongPassphrase: 'CRYPTO_KEYSTORE_WRONG_PASSPHRASE',
} as const;
export type CryptoErrorCode = (typeof CryptoErrorCode)[keyof typeof CryptoErrorCode];

/** Details carry names and counts only, never key material or plaintext. */
export type CryptoErrorDetails = Readonly<
  Record<string, string | number | boolean | readonly (string | number)[]>
>;

export class CryptoError extends CodedError<CryptoErrorCode, CryptoErrorDetails> {
  /** `details` defaults to `{}`, so callers can read `details['parameter']` without a check. */
  declare readonly details: CryptoErrorDetails;

  constructor(
    code: CryptoErrorCode,
    message: string,
    details: CryptoErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, details, options);
  }
}

export const isCryptoError = errorGuard(CryptoError);

export function invalidInput(parameter: string, problem: string): CryptoError {
  return new CryptoError(CryptoErrorCode.InvalidInput, `${parameter}: ${problem}`, { parameter });
}

export function weakKey(parameter: string, reason: WeakKeyReason, problem: string): CryptoError {
  return new CryptoError(CryptoErrorCode.WeakKey, `${parameter}: ${problem}`, {
    parameter,
    reason,
  });
}

/** Why {@link weakKey} refused a key, in `details.reason`. */
export type WeakKeyReason = 'small-order' | 'non-canonical' | 'not-on-curve' | 'not-in-subgroup';
