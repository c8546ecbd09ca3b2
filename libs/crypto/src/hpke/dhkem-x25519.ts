import {
  concat,
  I2OSP,
  LabeledExpand,
  LabeledExtract,
  type KDF,
  type KEM,
  type Key,
  type KeyPair,
} from 'hpke';

import type { CryptoBackend } from '../backend/types.js';
import { utf8, zeroize } from '../bytes.js';

export const X25519_LENGTH = 32;
const KEM_ID = 0x0020;
const ALGORITHM = Object.freeze({ name: 'X25519' });

/** RFC 9180 section 4.1: suite_id = concat("KEM", I2OSP(kem_id, 2)). */
const SUITE_ID = concat(utf8('KEM'), I2OSP(KEM_ID, 2));
const EMPTY = new Uint8Array(0);
const L_EAE_PRK = utf8('eae_prk');
const L_SHARED_SECRET = utf8('shared_secret');
const L_DKP_PRK = utf8('dkp_prk');
const L_SK = utf8('sk');

/**
 * An X25519 key as hpke's `Key` interface wants it: raw 32 bytes behind a private field, readable
 * only through {@link X25519Key.bytes} inside this library.
 */
export class X25519Key implements Key {
  readonly algorithm = ALGORITHM;
  readonly #bytes: Uint8Array;

  private constructor(
    readonly type: 'public' | 'private',
    bytes: Uint8Array,
    readonly extractable: boolean,
  ) {
    this.#bytes = bytes;
  }

  /** Wraps (does not copy) 32 raw public-key bytes. */
  static public(bytes: Uint8Array): X25519Key {
    return new X25519Key('public', bytes, true);
  }

  /** Wraps (does not copy) a 32-byte secret key; hpke refuses to serialize it unless extractable. */
  static private(bytes: Uint8Array, extractable = false): X25519Key {
    return new X25519Key('private', bytes, extractable);
  }

  /** The raw bytes of a key built by this module; throws for any other `Key`. */
  static bytes(key: Key, type: 'public' | 'private'): Uint8Array {
    if (!(key instanceof X25519Key) || !(#bytes in key)) {
      throw new TypeError('expected an X25519 key of this library');
    }
    if (key.type !== type)
      throw new TypeError(`expected an X25519 ${type} key, got a ${key.type} key`);
    return key.#bytes;
  }
}

export type EphemeralKeySource = () => Promise<KeyPair<X25519Key>>;

export interface DhKemOptions {
  readonly backend: CryptoBackend;
  /** The KDF used inside the KEM (HKDF-SHA256). */
  readonly kdf: KDF;
  /**
   * Test hook: where Encap takes its ephemeral key pair (RFC 9180 known-answer tests derive it from
   * ikmE). It must return a fresh pair on every call: Encap erases the secret key after use.
   */
  readonly ephemeral?: EphemeralKeySource | undefined;
}

/** DHKEM(X25519, HKDF-SHA256), RFC 9180 section 4.1, KEM id 0x0020, on the backend's X25519. */
export function dhkemX25519({ backend, kdf, ephemeral }: DhKemOptions): KEM<X25519Key> {
  // RFC 9180 section 4.1: ExtractAndExpand(dh, kem_context).
  async function extractAndExpand(dh: Uint8Array, kemContext: Uint8Array): Promise<Uint8Array> {
    const eaePrk = await LabeledExtract(kdf, SUITE_ID, EMPTY, L_EAE_PRK, dh);
    try {
      return await LabeledExpand(kdf, SUITE_ID, eaePrk, L_SHARED_SECRET, kemContext, X25519_LENGTH);
    } finally {
      zeroize(eaePrk);
    }
  }

  function keyPair(secretKey: Uint8Array, extractable: boolean): KeyPair<X25519Key> {
    return {
      privateKey: X25519Key.private(secretKey, extractable),
      publicKey: X25519Key.public(backend.x25519PublicKey(secretKey)),
    };
  }

  return {
    id: KEM_ID,
    type: 'KEM',
    name: 'DHKEM(X25519, HKDF-SHA256)',
    Nsecret: X25519_LENGTH,
    Nenc: X25519_LENGTH,
    Npk: X25519_LENGTH,
    Nsk: X25519_LENGTH,

    async GenerateKeyPair(extractable) {
      return keyPair(backend.randomBytes(X25519_LENGTH), extractable);
    },

    // RFC 9180 section 7.1.3 for X25519: the secret key is the expanded bytes themselves.
    async DeriveKeyPair(ikm, extractable) {
      const dkpPrk = await LabeledExtract(kdf, SUITE_ID, EMPTY, L_DKP_PRK, ikm);
      try {
        const sk = await LabeledExpand(kdf, SUITE_ID, dkpPrk, L_SK, EMPTY, X25519_LENGTH);
        return keyPair(sk, extractable);
      } finally {
        zeroize(dkpPrk);
      }
    },

    async SerializePublicKey(key) {
      return X25519Key.bytes(key, 'public').slice();
    },

    async DeserializePublicKey(bytes) {
      return X25519Key.public(bytes.slice());
    },

    async SerializePrivateKey(key) {
      return X25519Key.bytes(key, 'private').slice();
    },

    async DeserializePrivateKey(bytes, extractable) {
      return X25519Key.private(bytes.slice(), extractable);
    },

    async Encap(pkR) {
      const pkRm = X25519Key.bytes(pkR, 'public');
      const pair = ephemeral
        ? await ephemeral()
        : keyPair(backend.randomBytes(X25519_LENGTH), false);
      const skE = X25519Key.bytes(pair.privateKey, 'private');
      let dh: Uint8Array | undefined;
      try {
        // Throws CryptoError(InvalidInput) for a low-order pkR (all-zero shared secret).
        dh = backend.x25519SharedSecret(skE, pkRm);
        const enc = X25519Key.bytes(pair.publicKey, 'public');
        const sharedSecret = await extractAndExpand(dh, concat(enc, pkRm));
        return { shared_secret: sharedSecret, enc };
      } finally {
        zeroize(dh, skE);
      }
    },

    async Decap(enc, skR, pkR) {
      const skRm = X25519Key.bytes(skR, 'private');
      // The caller's key pair saves one scalar multiplication; otherwise derive pkR once.
      const pkRm = pkR ? X25519Key.bytes(pkR, 'public') : backend.x25519PublicKey(skRm);
      const dh = backend.x25519SharedSecret(skRm, enc);
      try {
        return await extractAndExpand(dh, concat(enc, pkRm));
      } finally {
        zeroize(dh);
      }
    },
  };
}
