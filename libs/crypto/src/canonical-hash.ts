import { toHex } from './bytes.js';
import { canonicalJsonBytes } from './canonical-json.js';
import { sha256 } from './random.js';

/**
 * SHA-256 of the RFC 8785 canonical JSON of `value`, as 0x-prefixed lowercase hex (a bytes32 as
 * the ledger contracts take it). Refuses what canonicalJson refuses (CryptoError InvalidInput).
 */
export function sha256CanonicalHex(value: unknown): string {
  return `0x${toHex(sha256(canonicalJsonBytes(value)))}`;
}
