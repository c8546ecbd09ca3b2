import {
  MAX_RECORD_VERSION,
  type Consent,
  type GrantKey,
  type ResolvedParticipant,
} from '@sec-health/protocol';

import { invalid, type Refusal } from '../refusal.js';

/**
 * Keys held under a consent must open for its grantee now: wrapped to the grantee, at the
 * grantee's current key version, for a record the scope names by id, or any record when the scope
 * has categories (which category a record is in, only storage knows: it checks that at read
 * time). One key per record version.
 */
export function grantKeysRefusal(
  consent: Consent,
  grantee: ResolvedParticipant,
  keys: readonly GrantKey[],
): Refusal | undefined {
  const seen = new Set<string>();
  for (const [i, key] of keys.entries()) {
    const at = `keys[${i}]`;
    if (key.wrappedKey.recipientId !== consent.granteeId) {
      return invalid('WRONG_RECIPIENT', `${at} is wrapped to someone other than the grantee`);
    }
    if (key.wrappedKey.recipientKeyVersion !== grantee.keyVersion) {
      return invalid(
        'STALE_RECIPIENT_KEY',
        `${at} is wrapped to the grantee's key version ${key.wrappedKey.recipientKeyVersion}, but the current one is ${grantee.keyVersion}`,
      );
    }
    if (key.version > MAX_RECORD_VERSION) {
      return invalid('OUT_OF_SCOPE', `${at}: no record has version ${key.version}`);
    }
    if (consent.scope.categories.length === 0 && !consent.scope.recordIds.includes(key.recordId)) {
      return invalid('OUT_OF_SCOPE', `${at} is for a record the grant does not name`);
    }
    const id = `${key.recordId}/${key.version}`;
    if (seen.has(id)) return invalid('DUPLICATE_KEY', `${at} repeats record ${id}`);
    seen.add(id);
  }
  return undefined;
}
