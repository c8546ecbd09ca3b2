import { randomUUID } from 'node:crypto';

import {
  generateEncryptionKeyPair,
  generateParticipantKeys,
  sha256CanonicalHex,
  signCanonical,
  toBase64Url,
  utf8,
} from '@sec-health/crypto';
import {
  recordMetadataStatement,
  type Integrity,
  type RecordAccess,
  type SignedRecordMetadata,
} from '@sec-health/protocol';
import { beforeAll, describe, expect, it } from 'vitest';

import { isClientError, ClientErrorCode } from '../../errors.js';
import { buildRecordVersion, type BuiltRecordVersion } from './build-version.js';
import { assertAuthentic } from './open-version.js';

const author = { id: randomUUID(), keyVersion: 1, keys: generateParticipantKeys() };
const authorKey = {
  signingKey: toBase64Url(author.keys.signing.publicKey),
  keyVersion: author.keyVersion,
};
let built: BuiltRecordVersion;

beforeAll(async () => {
  built = await buildRecordVersion({
    recordId: randomUUID(),
    version: 1,
    patient: {
      id: author.id,
      encryptionKey: toBase64Url(author.keys.encryption.publicKey),
      keyVersion: 1,
    },
    author,
    category: 'conditions',
    confidentiality: 'R',
    sensitivity: ['HIV'],
    contentType: 'text/plain',
    plaintext: utf8('a note'),
    emergency: {
      threshold: 2,
      servers: [1, 2, 3].map((index) => ({
        index,
        participantId: randomUUID(),
        encryptionKey: toBase64Url(generateEncryptionKeyPair().publicKey),
        keyVersion: 1,
      })),
    },
  });
});

/** What record.get answers for `signed`, as a storage service reports it. */
function accessOf(signed: SignedRecordMetadata, integrity: Partial<Integrity> = {}): RecordAccess {
  return {
    record: {
      signed,
      storedAt: new Date().toISOString(),
      anchor: { status: 'confirmed', txHash: `0x${'11'.repeat(32)}`, blockNumber: 7 },
    },
    wrappedKey: built.request.keys[0]!,
    integrity: {
      status: 'verified',
      signatureValid: true,
      metadataMatchesAnchor: true,
      contentMatchesAnchor: true,
      anchoredHash: built.request.signed.metadata.ciphertextHash,
      anchoredMetadataHash: sha256CanonicalHex(built.request.signed),
      problems: [],
      ...integrity,
    },
  };
}

/** The version's metadata without its HIV tag, signed by someone else's key. */
function reSignedWithoutTag(): SignedRecordMetadata {
  const metadata = { ...built.request.signed.metadata, sensitivity: [] };
  const intruder = generateParticipantKeys();
  return {
    ...built.request.signed,
    metadata,
    signature: toBase64Url(
      signCanonical(intruder.signing.secretKey, recordMetadataStatement(metadata)),
    ),
  };
}

function failure(attempt: () => void): unknown {
  try {
    attempt();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('assertAuthentic', () => {
  it('accepts a version whose content, signature and signed metadata match their anchors', () => {
    expect(() =>
      assertAuthentic(accessOf(built.request.signed), built.ciphertext, authorKey),
    ).not.toThrow();
  });

  it('refuses metadata that differs from its anchored hash, even re-signed and reported verified', () => {
    const error = failure(() => assertAuthentic(accessOf(reSignedWithoutTag()), built.ciphertext));
    expect(isClientError(error, ClientErrorCode.IntegrityFailed)).toBe(true);
    expect((error as Error).message).toBe('the signed metadata differs from the chain anchor');
  });

  it('refuses an anchored metadata hash of other metadata', () => {
    const access = accessOf(built.request.signed, {
      anchoredMetadataHash: sha256CanonicalHex(reSignedWithoutTag()),
    });
    const error = failure(() => assertAuthentic(access, built.ciphertext, authorKey));
    expect(isClientError(error, ClientErrorCode.IntegrityFailed)).toBe(true);
  });

  it('has no metadata anchor to compare with before the version is anchored', () => {
    const access = accessOf(built.request.signed, {
      status: 'awaiting-anchor',
      metadataMatchesAnchor: null,
      anchoredHash: null,
      anchoredMetadataHash: null,
    });
    expect(() => assertAuthentic(access, built.ciphertext, authorKey)).not.toThrow();
  });
});
