import { createHash } from 'node:crypto';

import { verifyCanonicalEncoded } from '@sec-health/crypto';
import type { LedgerContracts } from '@sec-health/ledger';
import { recordMetadataStatement, uuidToBytes32, type Integrity } from '@sec-health/protocol';

import type { ContentStore } from '../ipfs/index.js';
import type { RecordVersionRow } from '../records/record-rows.js';
import { columnsDifferingFromMetadata } from './columns-match.js';
import { signedMetadataHash } from './metadata-hash.js';

export interface IntegrityDependencies {
  readonly registry: LedgerContracts['RecordRegistry'];
  readonly content: ContentStore;
}

/**
 * Checks one stored version against what its author signed and what the chain holds: the
 * signature over the metadata (with the author's key as it was when the version was stored), the
 * searchable columns against the metadata, the RecordAnchored values (hash, patient, author)
 * against the metadata, the anchored hash of the signed metadata against the stored one, and, with
 * `content`, the SHA-256 of the stored bytes against the anchor. The signing key is stored beside
 * the metadata, so only the anchored metadata hash catches metadata re-signed with a key swapped
 * in this database. A chain that cannot be read throws (the caller fails closed); content that
 * cannot be read is a mismatch, never a pass.
 */
export async function checkIntegrity(
  row: RecordVersionRow,
  deps: IntegrityDependencies,
  options: { content: boolean },
): Promise<Integrity> {
  const problems: string[] = [];
  const signatureValid = verifyCanonicalEncoded(
    row.authorSigningKey,
    recordMetadataStatement(row.metadata),
    row.signature,
  );
  if (!signatureValid) problems.push("the metadata does not verify with its author's signature");
  const differing = columnsDifferingFromMetadata(row);
  if (differing.length > 0) {
    problems.push(`stored fields differ from the signed metadata: ${differing.join(', ')}`);
  }

  const [anchoredHash, patientRef, authorRef, anchoredMetadataHash, blockNumber] =
    await deps.registry.anchor(uuidToBytes32(row.recordId), row.version);
  const anchored = blockNumber !== 0n;
  let metadataMatchesAnchor: boolean | null = null;
  if (anchored) {
    const mismatched = [
      anchoredHash.toLowerCase() !== row.metadata.ciphertextHash ? 'ciphertext hash' : undefined,
      patientRef.toLowerCase() !== row.patientRef.toLowerCase() ? 'patient' : undefined,
      authorRef.toLowerCase() !== row.authorRef.toLowerCase() ? 'author' : undefined,
    ].filter((field) => field !== undefined);
    if (mismatched.length > 0) {
      problems.push(`the metadata differs from the chain anchor: ${mismatched.join(', ')}`);
    }
    const signedMatches = anchoredMetadataHash.toLowerCase() === signedMetadataHash(row);
    if (!signedMatches) problems.push('the signed metadata differs from the chain anchor');
    metadataMatchesAnchor = mismatched.length === 0 && signedMatches;
  }

  let contentMatchesAnchor: boolean | null = null;
  if (options.content) {
    const expected = anchored ? anchoredHash.toLowerCase() : row.metadata.ciphertextHash;
    const measured = await hashContent(deps.content, row.cid);
    if ('error' in measured) {
      contentMatchesAnchor = false;
      problems.push(`the stored content cannot be read: ${measured.error}`);
    } else {
      contentMatchesAnchor = measured.hash === expected && measured.size === row.metadata.size;
      if (!contentMatchesAnchor) {
        problems.push(
          anchored
            ? 'the SHA-256 of the stored content differs from the chain anchor'
            : 'the SHA-256 of the stored content differs from the signed metadata',
        );
      }
    }
  }

  const status = problems.length > 0 ? 'mismatch' : anchored ? 'verified' : 'awaiting-anchor';
  return {
    status,
    signatureValid,
    metadataMatchesAnchor,
    contentMatchesAnchor,
    anchoredHash: anchored ? anchoredHash.toLowerCase() : null,
    anchoredMetadataHash: anchored ? anchoredMetadataHash.toLowerCase() : null,
    problems,
  };
}

async function hashContent(
  content: ContentStore,
  cid: string,
): Promise<{ hash: string; size: number } | { error: string }> {
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of content.read(cid)) {
      hash.update(chunk);
      size += chunk.length;
    }
  } catch (error) {
    return { error: error instanceof Error ? error.message.slice(0, 200) : 'unknown error' };
  }
  return { hash: `0x${hash.digest('hex')}`, size };
}
