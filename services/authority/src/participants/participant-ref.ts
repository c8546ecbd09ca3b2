import { randomBytes, sha256, toHex, utf8 } from '@sec-health/crypto';
import type { Role } from '@sec-health/protocol';

const REF_DOMAIN = 'sec-health/participant-ref/v1:';

/**
 * A patient's on-chain reference is a random pseudonym, unlinkable to any identifier (DESIGN.md
 * section 4); everyone else's is derived from the id, so anyone can recompute it.
 */
export function newParticipantRef(role: Role, participantId: string): string {
  if (role === 'patient') return `0x${toHex(randomBytes(32))}`;
  return `0x${toHex(sha256(utf8(`${REF_DOMAIN}${participantId}`)))}`;
}

/** 0x + SHA-256 of the UTF-8 text, e.g. the revocation reason anchored on chain. */
export function sha256Hex(text: string): string {
  return `0x${toHex(sha256(utf8(text)))}`;
}
