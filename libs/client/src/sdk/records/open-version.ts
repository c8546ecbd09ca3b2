import {
  constantTimeEqual,
  decryptRecord,
  fromBase64Url,
  fromHex,
  sha256,
  sha256CanonicalHex,
  unwrapKey,
  verifyCanonicalEncoded,
  zeroize,
  type EncryptionKeyPair,
} from '@sec-health/crypto';
import {
  recordMetadataStatement,
  type RecordAccess,
  type RecordMetadata,
} from '@sec-health/protocol';

import { ClientError, ClientErrorCode } from '../../errors.js';
import { recordKeyContext } from './wrap-contexts.js';

/**
 * Checks downloaded ciphertext before anything is decrypted: its SHA-256 against the signed
 * metadata and against the chain anchor the storage service reported, the hash of the signed
 * metadata (sha256CanonicalHex of { metadata, signature, authorKeyVersion }) against its anchor,
 * and the author's signature when the author's current key is the one that signed. Throws
 * IntegrityFailed.
 */
export function assertAuthentic(
  access: RecordAccess,
  ciphertext: Uint8Array,
  author?: { readonly signingKey: string; readonly keyVersion: number },
): void {
  const { metadata, signature, authorKeyVersion } = access.record.signed;
  const hash = sha256(ciphertext);
  if (!constantTimeEqual(hash, fromHex('ciphertextHash', metadata.ciphertextHash.slice(2)))) {
    throw integrity('the downloaded content does not match the SHA-256 the author signed');
  }
  const anchored = access.integrity.anchoredHash;
  if (anchored !== null && anchored !== metadata.ciphertextHash) {
    throw integrity('the signed hash differs from the chain anchor');
  }
  const anchoredMetadata = access.integrity.anchoredMetadataHash;
  if (anchoredMetadata !== null && sha256CanonicalHex(access.record.signed) !== anchoredMetadata) {
    throw integrity('the signed metadata differs from the chain anchor');
  }
  if (access.integrity.status === 'mismatch') {
    throw integrity(`the storage service reports: ${access.integrity.problems.join('; ')}`);
  }
  if (author && author.keyVersion === authorKeyVersion) {
    if (!verifyCanonicalEncoded(author.signingKey, recordMetadataStatement(metadata), signature)) {
      throw integrity("the metadata does not verify with the author's signing key");
    }
  }
}

/** The data key of a version, unwrapped with the reader's encryption key. */
export async function unwrapDataKey(
  access: RecordAccess,
  readerId: string,
  encryption: EncryptionKeyPair,
): Promise<Uint8Array> {
  const { metadata } = access.record.signed;
  return unwrapKey(
    encryption,
    fromBase64Url('wrappedKey', access.wrappedKey.wrappedKey),
    recordKeyContext(metadata.recordId, metadata.version, readerId),
  );
}

/** Decrypts a version's ciphertext (after assertAuthentic) with the reader's key. */
export async function openRecordVersion(
  access: RecordAccess,
  ciphertext: Uint8Array,
  readerId: string,
  encryption: EncryptionKeyPair,
): Promise<Uint8Array> {
  const dataKey = await unwrapDataKey(access, readerId, encryption);
  try {
    return await decryptWith(dataKey, access.record.signed.metadata, ciphertext);
  } finally {
    zeroize(dataKey);
  }
}

export function decryptWith(
  dataKey: Uint8Array,
  metadata: RecordMetadata,
  ciphertext: Uint8Array,
): Promise<Uint8Array> {
  return decryptRecord(
    dataKey,
    {
      recordId: metadata.recordId,
      patientId: metadata.patientId,
      version: metadata.version,
      contentType: metadata.contentType,
    },
    ciphertext,
  );
}

function integrity(message: string): ClientError {
  return new ClientError(ClientErrorCode.IntegrityFailed, message);
}
