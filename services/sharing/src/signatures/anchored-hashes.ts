import { canonicalJsonBytes, sha256, toHex } from '@sec-health/crypto';
import type { Consent, EmergencyPolicy } from '@sec-health/protocol';

// What ConsentLedger anchors: 0x + SHA-256 of the RFC 8785 canonical JSON of the signed document
// with its signature, so anyone holding the document can recompute the hash in the event.

function hashOf(value: unknown): string {
  return `0x${toHex(sha256(canonicalJsonBytes(value)))}`;
}

/** ConsentGranted.consentHash: {consent, signature}. */
export function consentHash(consent: Consent, signature: string): string {
  return hashOf({ consent, signature });
}

/** ConsentRevoked.revocationHash: {consentId, signedAt, signature}. */
export function revocationHash(fields: {
  consentId: string;
  signedAt: string;
  signature: string;
}): string {
  return hashOf({
    consentId: fields.consentId,
    signedAt: fields.signedAt,
    signature: fields.signature,
  });
}

/** PolicySet.policyHash: {policy, signature}. */
export function policyHash(policy: EmergencyPolicy, signature: string): string {
  return hashOf({ policy, signature });
}
