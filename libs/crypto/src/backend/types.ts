/** Parameters of scrypt (RFC 7914). */
export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly dkLen: number;
}

/**
 * The primitives the rest of the library is built on. Two implementations produce byte-identical
 * outputs: `node` (node:crypto, native, used on Node) and `portable` (noble + WebCrypto, usable in a
 * browser). Tests cross-check them; the benchmark shows why Node uses the native one.
 *
 * Implementations validate nothing beyond what they need to stay safe; the public functions of the
 * library check their inputs first and name the parameter.
 */
export interface CryptoBackend {
  readonly name: 'node' | 'portable';
  randomBytes(length: number): Uint8Array;
  sha256(data: Uint8Array): Uint8Array;
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** AES-GCM with a 16- or 32-byte key and a 12-byte nonce; returns ciphertext ‖ 16-byte tag. */
  aesGcmSeal(
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
    plaintext: Uint8Array,
  ): Promise<Uint8Array>;
  /** Throws CryptoError(DecryptionFailed) when the tag does not verify. */
  aesGcmOpen(
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
    sealed: Uint8Array,
  ): Promise<Uint8Array>;
  ed25519PublicKey(seed: Uint8Array): Uint8Array;
  ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array;
  /**
   * Cofactorless verification with OpenSSL's acceptance rules, which accept small-order keys; the
   * public `verifyBytes` refuses those (and non-canonical encodings) before calling this.
   */
  ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  x25519PublicKey(secretKey: Uint8Array): Uint8Array;
  /** Throws CryptoError(InvalidInput) when the result is all zeros (a low-order public key). */
  x25519SharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
  scrypt(passphrase: Uint8Array, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array>;
}
