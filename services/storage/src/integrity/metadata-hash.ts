import { sha256CanonicalHex } from '@sec-health/crypto';
import type { SignedRecordMetadata } from '@sec-health/protocol';

import type { RecordVersionRow } from '../records/record-rows.js';

/**
 * The hash of a version's signed metadata that RecordRegistry anchors as `metadataHash`:
 *
 *   0x || SHA-256( RFC 8785 canonical JSON of { metadata, signature, authorKeyVersion } )
 *
 * i.e. of the protocol's SignedRecordMetadata exactly as the author submitted it (the client
 * checks the same with `sha256CanonicalHex(access.record.signed)`). Canonical JSON does not depend
 * on key order, so the metadata read back from the jsonb column hashes as the submitted one did.
 * Anchoring it, and not only the author's ref, is what stops someone with write access to this
 * database from changing the metadata, re-signing it and storing their own signing key.
 */
export function signedMetadataHash(
  row: Pick<RecordVersionRow, 'metadata' | 'signature' | 'authorKeyVersion'>,
): string {
  const signed: SignedRecordMetadata = {
    metadata: row.metadata,
    signature: row.signature,
    authorKeyVersion: row.authorKeyVersion,
  };
  return sha256CanonicalHex(signed);
}
