import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  randomFillSync,
  scrypt as scryptCallback,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

import { assertNotAllZero, decryptionFailed, GCM_TAG_LENGTH, scryptMaxMemory } from './shared.js';
import type { CryptoBackend, ScryptParams } from './types.js';

type OkpCurve = 'Ed25519' | 'X25519';

/**
 * Raw keys go in and out of node:crypto as JWK: OpenSSL 3 decodes a PKCS#8 or SPKI DER key ten
 * times slower than it builds one from a JWK (about 800 vs 70 us for a private key, measured here),
 * which would dominate every sign and every key unwrap. Node reads only `d` of a private OKP JWK
 * and derives the public key itself; `x` must merely be a string. The base64url copy of a secret
 * key is an immutable string that cannot be erased, like any JWK; it becomes garbage at once.
 */
function privateKey(crv: OkpCurve, raw: Uint8Array): KeyObject {
  return createPrivateKey({
    key: { kty: 'OKP', crv, d: base64url(raw), x: '' },
    format: 'jwk',
  });
}

function publicKey(crv: OkpCurve, raw: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv, x: base64url(raw) }, format: 'jwk' });
}

function rawPublicKey(key: KeyObject): Uint8Array {
  const { x } = key.export({ format: 'jwk' });
  return view(Buffer.from(x as string, 'base64url'));
}

function base64url(raw: Uint8Array): string {
  return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64url');
}

/** Public keys are reused across many verifications; importing one costs a quarter of a verify. */
class PublicKeyCache {
  readonly #entries = new Map<string, KeyObject>();
  constructor(
    private readonly crv: OkpCurve,
    private readonly capacity = 4096,
  ) {}

  get(raw: Uint8Array): KeyObject {
    const id = base64url(raw);
    let key = this.#entries.get(id);
    if (key) {
      this.#entries.delete(id);
    } else {
      key = publicKey(this.crv, raw);
      if (this.#entries.size >= this.capacity) {
        this.#entries.delete(this.#entries.keys().next().value as string);
      }
    }
    this.#entries.set(id, key);
    return key;
  }
}

const ed25519Keys = new PublicKeyCache('Ed25519');
const x25519Keys = new PublicKeyCache('X25519');

/** A plain Uint8Array over a Buffer's bytes (some libraries reject Buffer). */
function view(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function gcmAlgorithm(key: Uint8Array): 'aes-128-gcm' | 'aes-256-gcm' {
  return key.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm';
}

export const nodeBackend: CryptoBackend = {
  name: 'node',

  randomBytes(length) {
    return randomFillSync(new Uint8Array(length));
  },

  sha256(data) {
    return view(createHash('sha256').update(data).digest());
  },

  hmacSha256(key, data) {
    return view(createHmac('sha256', key).update(data).digest());
  },

  async aesGcmSeal(key, nonce, aad, plaintext) {
    const cipher = createCipheriv(gcmAlgorithm(key), key, nonce, { authTagLength: GCM_TAG_LENGTH });
    cipher.setAAD(aad);
    return view(Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]));
  },

  async aesGcmOpen(key, nonce, aad, sealed) {
    if (sealed.length < GCM_TAG_LENGTH) throw decryptionFailed();
    const decipher = createDecipheriv(gcmAlgorithm(key), key, nonce, {
      authTagLength: GCM_TAG_LENGTH,
    });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - GCM_TAG_LENGTH));
    const body = decipher.update(sealed.subarray(0, sealed.length - GCM_TAG_LENGTH));
    try {
      return view(Buffer.concat([body, decipher.final()]));
    } catch {
      body.fill(0);
      throw decryptionFailed();
    }
  },

  ed25519PublicKey(seed) {
    return rawPublicKey(createPublicKey(privateKey('Ed25519', seed)));
  },

  ed25519Sign(seed, message) {
    return view(sign(null, message, privateKey('Ed25519', seed)));
  },

  ed25519Verify(publicKey, message, signature) {
    try {
      return verify(null, message, ed25519Keys.get(publicKey), signature);
    } catch {
      return false;
    }
  },

  x25519PublicKey(secretKey) {
    return rawPublicKey(createPublicKey(privateKey('X25519', secretKey)));
  },

  x25519SharedSecret(secretKey, publicKey) {
    let shared: Buffer;
    try {
      shared = diffieHellman({
        privateKey: privateKey('X25519', secretKey),
        publicKey: x25519Keys.get(publicKey),
      });
    } catch {
      // OpenSSL refuses low-order points itself; report it the way the portable backend does.
      return assertNotAllZero(new Uint8Array(32));
    }
    return assertNotAllZero(view(shared));
  },

  scrypt(passphrase, salt, { N, r, p, dkLen }: ScryptParams) {
    return new Promise((resolve, reject) => {
      scryptCallback(
        passphrase,
        salt,
        dkLen,
        { N, r, p, maxmem: scryptMaxMemory(N, r) },
        (error, key) => (error ? reject(error) : resolve(view(key))),
      );
    });
  },
};
