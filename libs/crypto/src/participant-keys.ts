import { backend } from './backend/active.js';
import { assertBytes } from './bytes.js';
import { generateSigningKeyPair, type SigningKeyPair } from './signatures.js';

export const X25519_KEY_LENGTH = 32;

export interface EncryptionKeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** A participant's two key pairs (DESIGN.md section 4), generated on the client. */
export interface ParticipantKeys {
  readonly signing: SigningKeyPair;
  readonly encryption: EncryptionKeyPair;
}

export function generateEncryptionKeyPair(): EncryptionKeyPair {
  const secretKey = backend().randomBytes(X25519_KEY_LENGTH);
  return { secretKey, publicKey: backend().x25519PublicKey(secretKey) };
}

export function encryptionPublicKey(secretKey: Uint8Array): Uint8Array {
  assertBytes('secretKey', secretKey, X25519_KEY_LENGTH);
  return backend().x25519PublicKey(secretKey);
}

export function generateParticipantKeys(): ParticipantKeys {
  return { signing: generateSigningKeyPair(), encryption: generateEncryptionKeyPair() };
}
