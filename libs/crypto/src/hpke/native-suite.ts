import { CipherSuite } from 'hpke';

import { backend as activeBackend } from '../backend/active.js';
import type { CryptoBackend } from '../backend/types.js';
import { aesGcm, type WrapAead } from './aes-gcm.js';
import { dhkemX25519, type EphemeralKeySource, type X25519Key } from './dhkem-x25519.js';
import { hkdfSha256 } from './hkdf-sha256.js';

export type { WrapAead } from './aes-gcm.js';

export interface WrapSuiteOptions {
  /** Production uses AES-256-GCM; RFC 9180 Appendix A.1 uses AES-128-GCM. */
  readonly aead: WrapAead;
  /** Primitives to run on; defaults to the active backend at creation time. */
  readonly backend?: CryptoBackend;
  /** Test hook for deterministic encapsulation; see {@link EphemeralKeySource}. */
  readonly ephemeral?: EphemeralKeySource;
}

/**
 * An HPKE cipher suite (RFC 9180): the key schedule, contexts and sequence numbers come from the
 * maintained `hpke` package; DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and AES-GCM run on this
 * library's backend primitives (native node:crypto on Node, noble + WebCrypto elsewhere).
 */
export function createWrapSuite(options: WrapSuiteOptions): CipherSuite<X25519Key> {
  const backend = options.backend ?? activeBackend();
  const kdf = hkdfSha256(backend);
  return new CipherSuite(
    () => dhkemX25519({ backend, kdf, ephemeral: options.ephemeral }),
    () => kdf,
    () => aesGcm(backend, options.aead),
  );
}

const suites = new WeakMap<CryptoBackend, CipherSuite<X25519Key>>();

/** The production suite (X25519, HKDF-SHA256, AES-256-GCM) for the active backend, built once. */
export function wrapSuite(): CipherSuite<X25519Key> {
  const backend = activeBackend();
  let suite = suites.get(backend);
  if (!suite) {
    suite = createWrapSuite({ aead: 'aes-256-gcm', backend });
    suites.set(backend, suite);
  }
  return suite;
}
