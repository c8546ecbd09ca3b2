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

export class CryptoError extends Error {
  override readonly name = 'CryptoError';

  constructor(
    readonly code: CryptoErrorCode,
    message: string,
    readonly details: CryptoErrorDetails = {},
  ) {
    super(message);
  }
}

export function isCryptoError(value: unknown, code?: CryptoErrorCode): value is CryptoError {
  return value instanceof CryptoError && (code === undefined || value.code === code);
}

export function invalidInput(parameter: string, problem: string): CryptoError {
  return new CryptoError(CryptoErrorCode.InvalidInput, `${parameter}: ${problem}`, { parameter });
}
