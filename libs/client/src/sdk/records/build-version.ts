import { computeContentCid } from '@sec-health/content-address';
import {
  decodeEncryptionPublicKey,
  encryptRecord,
  generateDataKey,
  sealToRecipient,
  sha256,
  signCanonical,
  splitKey,
  toBase64Url,
  toHex,
  wrapKey,
  zeroize,
  type ParticipantKeys,
} from '@sec-health/crypto';
import {
  MAX_RECORD_CIPHERTEXT_BYTES,
  recordMetadataStatement,
  type Confidentiality,
  type EmergencyServerSet,
  type PutRecordRequest,
  type RecordCategory,
  type RecordContentType,
  type RecordMetadata,
} from '@sec-health/protocol';

import { ClientError, ClientErrorCode } from '../../errors.js';
import { emergencyShareContext, recordKeyContext } from './wrap-contexts.js';

export interface KeyHolder {
  readonly id: string;
  /** X25519 public key, base64url. */
  readonly encryptionKey: string;
  readonly keyVersion: number;
}

export interface RecordVersionDraft {
  readonly recordId: string;
  readonly version: number;
  readonly patient: KeyHolder;
  readonly author: {
    readonly id: string;
    readonly keyVersion: number;
    readonly keys: ParticipantKeys;
  };
  readonly category: RecordCategory;
  readonly confidentiality: Confidentiality;
  readonly sensitivity: readonly string[];
  readonly contentType: RecordContentType;
  readonly plaintext: Uint8Array;
  readonly emergency: EmergencyServerSet;
  readonly createdAt?: Date;
}

export interface BuiltRecordVersion {
  readonly request: PutRecordRequest;
  readonly ciphertext: Uint8Array;
  /** The fresh data key, for wrapping to grantees; the caller zeroes it when done. */
  readonly dataKey: Uint8Array;
}

/**
 * Everything about a record version that happens on the client (DESIGN.md sections 5 and 6): a
 * fresh data key; AES-256-GCM bound to {recordId, patientId, version, contentType}; SHA-256 and
 * the IPFS CID of the ciphertext; the key wrapped to the patient and the author; n Shamir shares
 * (threshold t) sealed each to its emergency server, with their commitments; the metadata signed
 * by the author. No service sees the plaintext or the key.
 */
export async function buildRecordVersion(draft: RecordVersionDraft): Promise<BuiltRecordVersion> {
  const { recordId, version, patient, author, emergency } = draft;
  const dataKey = generateDataKey();
  try {
    const ciphertext = await encryptRecord(
      dataKey,
      { recordId, patientId: patient.id, version, contentType: draft.contentType },
      draft.plaintext,
    );
    if (ciphertext.length > MAX_RECORD_CIPHERTEXT_BYTES) {
      throw new ClientError(
        ClientErrorCode.InvalidRecord,
        `the record is ${draft.plaintext.length} bytes; at most ${MAX_RECORD_CIPHERTEXT_BYTES - 29} fit in 32 MiB of ciphertext`,
      );
    }
    const split = await splitKey(
      dataKey,
      { shares: emergency.servers.length, threshold: emergency.threshold },
      { recordId, version },
    );
    const shares = await Promise.all(
      emergency.servers.map(async (server, i) => ({
        index: server.index,
        serverId: server.participantId,
        sealedShare: toBase64Url(
          await sealToRecipient(
            decodeEncryptionPublicKey('emergency server key', server.encryptionKey),
            split.shares[i]!.share,
            emergencyShareContext(recordId, version, server.index, server.participantId),
          ),
        ),
      })),
    );
    split.shares.forEach((share) => zeroize(share.share));
    const recipients: KeyHolder[] =
      patient.id === author.id
        ? [patient]
        : [
            patient,
            {
              id: author.id,
              encryptionKey: toBase64Url(author.keys.encryption.publicKey),
              keyVersion: author.keyVersion,
            },
          ];
    const keys = await Promise.all(recipients.map((r) => wrapFor(r, dataKey, recordId, version)));
    const metadata: RecordMetadata = {
      suite: 'sh1-aes256gcm',
      recordId,
      version,
      patientId: patient.id,
      authorId: author.id,
      category: draft.category,
      confidentiality: draft.confidentiality,
      sensitivity: [...new Set(draft.sensitivity)].sort(),
      createdAt: (draft.createdAt ?? new Date()).toISOString(),
      contentType: draft.contentType,
      size: ciphertext.length,
      cid: await computeContentCid([ciphertext]),
      ciphertextHash: `0x${toHex(sha256(ciphertext))}`,
      emergency: {
        threshold: split.threshold,
        commitments: emergency.servers.map((server, i) => ({
          index: server.index,
          serverId: server.participantId,
          commitment: `0x${toHex(split.commitments[i]!)}`,
        })),
      },
    };
    const signature = toBase64Url(
      signCanonical(author.keys.signing.secretKey, recordMetadataStatement(metadata)),
    );
    return {
      request: {
        signed: { metadata, signature, authorKeyVersion: author.keyVersion },
        keys,
        shares,
      },
      ciphertext,
      dataKey,
    };
  } catch (error) {
    zeroize(dataKey);
    throw error;
  }
}

/** The data key wrapped to one participant, bound to this record version and to them. */
export async function wrapFor(
  recipient: KeyHolder,
  dataKey: Uint8Array,
  recordId: string,
  version: number,
) {
  const wrapped = await wrapKey(
    decodeEncryptionPublicKey('recipient key', recipient.encryptionKey),
    dataKey,
    recordKeyContext(recordId, version, recipient.id),
  );
  return {
    recipientId: recipient.id,
    recipientKeyVersion: recipient.keyVersion,
    wrappedKey: toBase64Url(wrapped),
  };
}
