/**
 * Suite and format tags (crypto suite v1, DESIGN.md section 5). Every serialized output starts with
 * one tag byte, and every JSON output carries its tag, so the suite can change later without
 * ambiguity. Tags differ per kind, so bytes of one kind are never mistaken for another.
 */
export const SuiteTag = {
  /** AES-256-GCM record envelope: tag ‖ nonce(12) ‖ ciphertext ‖ tag(16). */
  RecordEnvelopeV1: 0x11,
  /** HPKE base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM: tag ‖ enc(32) ‖ ciphertext. */
  HpkeWrapV1: 0x21,
} as const;
export type SuiteTag = (typeof SuiteTag)[keyof typeof SuiteTag];

/** Text tags carried in JSON structures. */
export const SuiteName = {
  RecordEnvelopeV1: 'sh1-aes256gcm',
  HpkeWrapV1: 'sh1-hpke-x25519-hkdfsha256-aes256gcm',
  SignatureV1: 'sh1-ed25519-jcs',
  ShareCommitmentV1: 'sh1-shamir-sha256-commit',
  KeystoreV1: 'sh1-keystore-scrypt-aes256gcm',
} as const;
