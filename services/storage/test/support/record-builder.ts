import { randomUUID } from 'node:crypto';

import { computeContentCid } from '@sec-health/content-address';
import {
  encryptRecord,
  fromBase64Url,
  generateDataKey,
  randomBytes,
  sealToRecipient,
  sha256,
  signCanonical,
  splitKey,
  toBase64Url,
  toHex,
  wrapKey,
  type ParticipantKeys,
  type WrapContext,
} from '@sec-health/crypto';
import {
  recordMetadataStatement,
  type Confidentiality,
  type EmergencyServerSet,
  type PutRecordRequest,
  type RecordCategory,
  type RecordContentType,
  type RecordMetadata,
  type WrappedKey,
} from '@sec-health/protocol';

import type { TestParticipant } from './participants.js';

// What a client does before anything reaches storage (DESIGN.md sections 5 and 6), as the SDK's
// build-version does it; services may not import the client, so it is written out here.

export function recordKeyContext(
  recordId: string,
  version: number,
  recipientId: string,
): WrapContext {
  return { purpose: 'sec-health/record-key/v1', recordId, version: String(version), recipientId };
}

export function emergencyShareContext(
  recordId: string,
  version: number,
  index: number,
  serverId: string,
): WrapContext {
  return {
    purpose: 'sec-health/emergency-share/v1',
    recordId,
    version: String(version),
    index: String(index),
    serverId,
  };
}

export interface RecordDraft {
  readonly patient: TestParticipant;
  readonly author: TestParticipant;
  readonly emergency: EmergencyServerSet;
  readonly recordId?: string;
  readonly version?: number;
  readonly category?: RecordCategory;
  readonly confidentiality?: Confidentiality;
  readonly sensitivity?: readonly string[];
  readonly contentType?: RecordContentType;
  readonly createdAt?: Date;
  /** Default: 600 random bytes. */
  readonly plaintext?: Uint8Array;
}

export interface BuiltRecord {
  readonly request: PutRecordRequest;
  readonly ciphertext: Uint8Array;
  readonly plaintext: Uint8Array;
  readonly dataKey: Uint8Array;
}

/**
 * A valid announcement and its ciphertext: a fresh data key, the envelope bound to the record,
 * its SHA-256 and CID, the key wrapped to the patient and the author, 2-of-3 shares sealed to the
 * emergency servers with their commitments, the metadata signed by the author.
 */
export async function buildRecord(draft: RecordDraft): Promise<BuiltRecord> {
  const recordId = draft.recordId ?? randomUUID();
  const version = draft.version ?? 1;
  const { patient, author, emergency } = draft;
  const contentType = draft.contentType ?? 'application/fhir+json';
  const plaintext = draft.plaintext ?? randomBytes(600);
  const dataKey = generateDataKey();
  const ciphertext = await encryptRecord(
    dataKey,
    { recordId, patientId: patient.resolved.id, version, contentType },
    plaintext,
  );
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
          fromBase64Url('encryptionKey', server.encryptionKey),
          split.shares[i]!.share,
          emergencyShareContext(recordId, version, server.index, server.participantId),
        ),
      ),
    })),
  );
  const recipients = patient.resolved.id === author.resolved.id ? [patient] : [patient, author];
  const keys = await Promise.all(recipients.map((r) => wrapTo(r, dataKey, recordId, version)));
  const metadata: RecordMetadata = {
    suite: 'sh1-aes256gcm',
    recordId,
    version,
    patientId: patient.resolved.id,
    authorId: author.resolved.id,
    category: draft.category ?? 'allergies',
    confidentiality: draft.confidentiality ?? 'N',
    sensitivity: [...new Set(draft.sensitivity ?? [])].sort(),
    createdAt: (draft.createdAt ?? new Date()).toISOString(),
    contentType,
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
  return {
    request: {
      signed: {
        metadata,
        signature: signMetadata(author.keys, metadata),
        authorKeyVersion: author.resolved.keyVersion,
      },
      keys,
      shares,
    },
    ciphertext,
    plaintext,
    dataKey,
  };
}

export function signMetadata(keys: ParticipantKeys, metadata: RecordMetadata): string {
  return toBase64Url(signCanonical(keys.signing.secretKey, recordMetadataStatement(metadata)));
}

/** The request with `changes` to its metadata, signed again by `signer` (a valid signature). */
export function withMetadata(
  request: PutRecordRequest,
  signer: TestParticipant,
  changes: Partial<RecordMetadata>,
): PutRecordRequest {
  const metadata = { ...request.signed.metadata, ...changes };
  return {
    ...request,
    signed: { ...request.signed, metadata, signature: signMetadata(signer.keys, metadata) },
  };
}

/** The record's data key wrapped to `recipient`, as a client wraps it for a grantee. */
export async function wrapTo(
  recipient: TestParticipant,
  dataKey: Uint8Array,
  recordId: string,
  version: number,
): Promise<WrappedKey> {
  const wrapped = await wrapKey(
    recipient.keys.encryption.publicKey,
    dataKey,
    recordKeyContext(recordId, version, recipient.resolved.id),
  );
  return {
    recipientId: recipient.resolved.id,
    recipientKeyVersion: recipient.resolved.keyVersion,
    wrappedKey: toBase64Url(wrapped),
  };
}
