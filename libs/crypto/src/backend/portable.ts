import { gcm } from '@noble/ciphers/webcrypto.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, concatBytes, equalBytes } from '@noble/curves/utils.js';
import { hmac } from '@noble/hashes/hmac.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';

import { assertNotAllZero, decryptionFailed, scryptMaxMemory } from './shared.js';
import type { CryptoBackend } from './types.js';

/** noble curves and hashes, AES-GCM through WebCrypto: runs in browsers and any Web-interoperable runtime. */
export const portableBackend: CryptoBackend = {
  name: 'portable',

  randomBytes(length) {
    return randomBytes(length);
  },

  sha256(data) {
    return sha256(data);
  },

  hmacSha256(key, data) {
    return hmac(sha256, key, data);
  },

  async aesGcmSeal(key, nonce, aad, plaintext) {
    return gcm(key, nonce, aad).encrypt(plaintext);
  },

  async aesGcmOpen(key, nonce, aad, sealed) {
    try {
      return await gcm(key, nonce, aad).decrypt(sealed);
    } catch {
      throw decryptionFailed();
    }
  },

  ed25519PublicKey(seed) {
    return ed25519.getPublicKey(seed);
  },

  ed25519Sign(seed, message) {
    return ed25519.sign(message, seed);
  },

  ed25519Verify(publicKey, message, signature) {
    try {
      return verifyLikeOpenSsl(publicKey, message, signature);
    } catch {
      return false;
    }
  },

  x25519PublicKey(secretKey) {
    return x25519.getPublicKey(secretKey);
  },

  x25519SharedSecret(secretKey, publicKey) {
    let shared: Uint8Array;
    try {
      shared = x25519.getSharedSecret(secretKey, publicKey);
    } catch {
      return assertNotAllZero(new Uint8Array(32));
    }
    return assertNotAllZero(shared);
  },

  scrypt(passphrase, salt, { N, r, p, dkLen }) {
    return scryptAsync(passphrase, salt, { N, r, p, dkLen, maxmem: scryptMaxMemory(N, r) });
  },
};

/**
 * Ed25519 verification with the exact acceptance rules of OpenSSL (the node backend), so both
 * backends agree on every input, including crafted edge cases (C2SP CCTV ed25519 vectors). noble's
 * own verify() checks the cofactored equation, and by default accepts ZIP-215 encodings, so it
 * accepts signatures OpenSSL rejects. OpenSSL: S < L; A decoded without a canonicity check; then
 * the encoding of [S]B - [k]A must equal R byte for byte (cofactorless), with
 * k = SHA-512(R ‖ A ‖ M) mod L over the bytes as given.
 *
 * These rules alone accept small-order keys (the identity key verifies every message with the
 * signature identity ‖ 0). The strict rules (no small-order or non-canonical A or R) sit above both
 * backends, in signatures.ts `verifyBytes`, so they are written once.
 */
function verifyLikeOpenSsl(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const { Point } = ed25519;
  const r = signature.subarray(0, 32);
  const s = bytesToNumberLE(signature.subarray(32, 64));
  if (s >= Point.Fn.ORDER) return false;
  const A = Point.fromBytes(publicKey, true);
  const k = Point.Fn.create(bytesToNumberLE(sha512(concatBytes(r, publicKey, message))));
  const expectedR = Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k));
  return equalBytes(expectedR.toBytes(), r);
}
