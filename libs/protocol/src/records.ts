import { z } from 'zod';

import { AnchorInfo } from './participants.js';
import { base64urlBytes, Hex32, IsoTime, Signature64, Uuid } from './primitives.js';

/** Record categories (DESIGN.md section 6). */
export const RECORD_CATEGORIES = [
  'patient-summary',
  'allergies',
  'medications',
  'conditions',
  'immunizations',
  'observations',
  'procedures',
  'encounters',
  'care-plans',
  'imaging',
  'documents',
  'notes',
] as const;
export const RecordCategory = z.enum(RECORD_CATEGORIES).meta({ id: 'RecordCategory' });
export type RecordCategory = z.infer<typeof RecordCategory>;

/** HL7 v3 Confidentiality: normal, restricted, very restricted. */
export const Confidentiality = z.enum(['N', 'R', 'V']).meta({ id: 'Confidentiality' });
export type Confidentiality = z.infer<typeof Confidentiality>;

/** Sensitivity tags that break-glass never releases unless the patient opted them in. */
export const STIGMA_SENSITIVITIES = ['HIV', 'PSY', 'SUD', 'STD', 'SEX', 'GDIS'] as const;

/** An HL7 v3 ActInformationSensitivityPolicy code, e.g. HIV, PSY, SUD, STD, SEX, GDIS, ETH. */
export const SensitivityTag = z
  .string()
  .regex(/^[A-Z]{2,12}$/, 'must be an HL7 sensitivity code such as HIV or PSY')
  .meta({ id: 'SensitivityTag' });

/** A set of sensitivity tags, sorted and without repeats (so its canonical JSON is unique). */
export const SensitivityTags = z
  .array(SensitivityTag)
  .max(16)
  .refine((tags) => tags.every((tag, i) => i === 0 || tags[i - 1]! < tag), {
    message: 'must be sorted and without repeats',
  });

export const FHIR_CONTENT_TYPE = 'application/fhir+json';
/** What a record may be: FHIR R4 JSON, or an attached document with its content type. */
export const RECORD_CONTENT_TYPES = [
  FHIR_CONTENT_TYPE,
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/tiff',
  'application/dicom',
  'text/plain',
] as const;
export const RecordContentType = z.enum(RECORD_CONTENT_TYPES).meta({ id: 'RecordContentType' });
export type RecordContentType = z.infer<typeof RecordContentType>;

/** Largest record ciphertext the system stores: 32 MiB. */
export const MAX_RECORD_CIPHERTEXT_BYTES = 32 * 1024 * 1024;
/**
 * Ciphertext travels over NATS in pieces of at most this size (a NATS message is at most 1 MiB;
 * base64url adds a third).
 */
export const CONTENT_CHUNK_BYTES = 512 * 1024;
/** Record versions are numbered from 1; the chain stores them as uint32. */
export const MAX_RECORD_VERSION = 2 ** 32 - 1;

/** base64url without padding, at most `maxBytes` bytes. */
function base64urlUpTo(maxBytes: number) {
  return z
    .string()
    .max(Math.ceil((maxBytes * 4) / 3))
    .regex(/^[A-Za-z0-9_-]*$/, 'must be base64url without padding')
    .refine((text) => text.length % 4 !== 1, 'is not a whole number of bytes in base64url');
}

/** A CIDv1 in base32 (`b...`), as IPFS prints it. */
export const ContentCid = z
  .string()
  .regex(/^b[a-z2-7]{58,}$/, 'must be a CIDv1 in base32')
  .max(128)
  .meta({ id: 'ContentCid' });

export const ShareCommitment = z
  .strictObject({
    /** 1..n: the emergency server that holds the share. */
    index: z.number().int().min(1).max(255),
    serverId: Uuid,
    /** SHA-256 commitment to the share (libs/crypto shareCommitment). */
    commitment: Hex32,
  })
  .meta({ id: 'ShareCommitment' });

export const EmergencyShares = z
  .strictObject({
    threshold: z.number().int().min(2).max(255),
    commitments: z.array(ShareCommitment).min(2).max(255),
  })
  .refine((e) => e.threshold <= e.commitments.length, 'threshold above the number of shares')
  .refine(
    (e) => e.commitments.every((c, i) => c.index === i + 1),
    'commitments must be listed by index 1..n',
  );

/**
 * What the author signs about one record version (DESIGN.md section 6). The ciphertext is bound
 * by `ciphertextHash` (SHA-256, anchored on chain) and `cid` (its IPFS address); nothing here is
 * health data beyond the coarse category and tags.
 */
export const RecordMetadata = z
  .strictObject({
    suite: z.literal('sh1-aes256gcm'),
    recordId: Uuid,
    version: z.number().int().min(1).max(MAX_RECORD_VERSION),
    patientId: Uuid,
    authorId: Uuid,
    category: RecordCategory,
    confidentiality: Confidentiality,
    sensitivity: SensitivityTags,
    createdAt: IsoTime,
    contentType: RecordContentType,
    /** Ciphertext bytes. */
    size: z.number().int().min(1).max(MAX_RECORD_CIPHERTEXT_BYTES),
    cid: ContentCid,
    ciphertextHash: Hex32,
    emergency: EmergencyShares,
  })
  .meta({ id: 'RecordMetadata' });
export type RecordMetadata = z.infer<typeof RecordMetadata>;

/** The metadata with the author's signature (Ed25519 over `recordMetadataStatement`). */
export const SignedRecordMetadata = z
  .strictObject({
    metadata: RecordMetadata,
    signature: Signature64,
    /** The author's key version that signed it. */
    authorKeyVersion: z.number().int().positive(),
  })
  .meta({ id: 'SignedRecordMetadata' });
export type SignedRecordMetadata = z.infer<typeof SignedRecordMetadata>;

/** A record's data key wrapped (HPKE) to one participant's encryption key. */
export const WrappedKey = z
  .strictObject({
    recipientId: Uuid,
    recipientKeyVersion: z.number().int().positive(),
    /** libs/crypto wrapKey output: 81 bytes. */
    wrappedKey: base64urlBytes(81),
  })
  .meta({ id: 'WrappedKey' });
export type WrappedKey = z.infer<typeof WrappedKey>;

/** One Shamir share sealed (HPKE) to emergency server `index`. */
export const WrappedShare = z
  .strictObject({
    index: z.number().int().min(1).max(255),
    serverId: Uuid,
    /** libs/crypto sealToRecipient of the 33-byte share: 82 bytes. */
    sealedShare: base64urlBytes(82),
  })
  .meta({ id: 'WrappedShare' });
export type WrappedShare = z.infer<typeof WrappedShare>;

export const PutRecordRequest = z
  .strictObject({
    signed: SignedRecordMetadata,
    /** The data key wrapped to the patient, the author and the category's current grantees. */
    keys: z.array(WrappedKey).min(1).max(256),
    shares: z.array(WrappedShare).min(2).max(255),
  })
  .meta({ id: 'PutRecordRequest' });
export type PutRecordRequest = z.infer<typeof PutRecordRequest>;

export const UploadTicket = z
  .strictObject({
    uploadId: Uuid,
    recordId: Uuid,
    version: z.number().int().min(1),
    size: z.number().int().min(1),
    chunkBytes: z.number().int().positive(),
    expiresAt: IsoTime,
  })
  .meta({ id: 'UploadTicket' });
export type UploadTicket = z.infer<typeof UploadTicket>;

export const UploadChunkRequest = z
  .strictObject({
    uploadId: Uuid,
    /** 0-based; chunks are sent in order, each CONTENT_CHUNK_BYTES but the last. */
    index: z
      .number()
      .int()
      .min(0)
      .max(MAX_RECORD_CIPHERTEXT_BYTES / CONTENT_CHUNK_BYTES),
    data: base64urlUpTo(CONTENT_CHUNK_BYTES),
  })
  .meta({ id: 'UploadChunkRequest' });
export type UploadChunkRequest = z.infer<typeof UploadChunkRequest>;

export const UploadProgress = z
  .strictObject({ uploadId: Uuid, receivedBytes: z.number().int().nonnegative() })
  .meta({ id: 'UploadProgress' });

export const UploadIdRequest = z.strictObject({ uploadId: Uuid }).meta({ id: 'UploadIdRequest' });

/** Whether a stored version still matches its author's signature and its chain anchor. */
export const Integrity = z
  .strictObject({
    status: z.enum(['verified', 'awaiting-anchor', 'mismatch']),
    signatureValid: z.boolean(),
    /**
     * The stored version matches its chain anchor: the metadata's ciphertext hash, the patient's
     * and author's refs, and the hash of the signed metadata (null before it is anchored).
     */
    metadataMatchesAnchor: z.boolean().nullable(),
    /** SHA-256 of the stored content equals the anchored hash (null when not checked). */
    contentMatchesAnchor: z.boolean().nullable(),
    /** The anchored SHA-256 of the ciphertext (null before it is anchored). */
    anchoredHash: Hex32.nullable(),
    /**
     * The anchored hash of the signed metadata: SHA-256 of the RFC 8785 canonical JSON of
     * { metadata, signature, authorKeyVersion } (null before it is anchored).
     */
    anchoredMetadataHash: Hex32.nullable(),
    problems: z.array(z.string()),
  })
  .meta({ id: 'Integrity' });
export type Integrity = z.infer<typeof Integrity>;

export const RecordVersion = z
  .strictObject({
    signed: SignedRecordMetadata,
    storedAt: IsoTime,
    anchor: AnchorInfo,
  })
  .meta({ id: 'RecordVersion' });
export type RecordVersion = z.infer<typeof RecordVersion>;

export const RecordVersionRequest = z
  .strictObject({
    recordId: Uuid,
    version: z.coerce.number().int().min(1).max(MAX_RECORD_VERSION).optional(),
  })
  .meta({ id: 'RecordVersionRequest' });
export type RecordVersionRequest = z.infer<typeof RecordVersionRequest>;

/** A version the caller may read, with the data key wrapped to the caller, checked for integrity. */
export const RecordAccess = z
  .strictObject({
    record: RecordVersion,
    wrappedKey: WrappedKey,
    integrity: Integrity,
  })
  .meta({ id: 'RecordAccess' });
export type RecordAccess = z.infer<typeof RecordAccess>;

export const ReadContentRequest = z
  .strictObject({
    recordId: Uuid,
    version: z.number().int().min(1).max(MAX_RECORD_VERSION),
    offset: z.number().int().min(0).max(MAX_RECORD_CIPHERTEXT_BYTES),
    length: z.number().int().min(1).max(CONTENT_CHUNK_BYTES),
  })
  .meta({ id: 'ReadContentRequest' });
export type ReadContentRequest = z.infer<typeof ReadContentRequest>;

export const ContentChunk = z
  .strictObject({ data: base64urlUpTo(CONTENT_CHUNK_BYTES), eof: z.boolean() })
  .meta({ id: 'ContentChunk' });

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value),
    z.array(item).max(16),
  );

export const ListRecordsRequest = z
  .strictObject({
    patientId: Uuid,
    category: csv(RecordCategory).optional(),
    authorId: Uuid.optional(),
    confidentiality: csv(Confidentiality).optional(),
    /** Records carrying any of these tags. */
    sensitivity: csv(SensitivityTag).optional(),
    createdFrom: IsoTime.optional(),
    createdTo: IsoTime.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** Continue after this record id (from `next`). */
    after: Uuid.optional(),
  })
  .meta({ id: 'ListRecordsRequest' });
export type ListRecordsRequest = z.infer<typeof ListRecordsRequest>;

export const RecordList = z
  .strictObject({ items: z.array(RecordVersion), next: Uuid.nullable() })
  .meta({ id: 'RecordList' });
export type RecordList = z.infer<typeof RecordList>;

export const RecordHistory = z
  .strictObject({ recordId: Uuid, versions: z.array(RecordVersion) })
  .meta({ id: 'RecordHistory' });
export type RecordHistory = z.infer<typeof RecordHistory>;

export const RecordIdRequest = z.strictObject({ recordId: Uuid }).meta({ id: 'RecordIdRequest' });

export const VerifyReport = z
  .strictObject({ recordId: Uuid, version: z.number().int().min(1), integrity: Integrity })
  .meta({ id: 'VerifyReport' });
export type VerifyReport = z.infer<typeof VerifyReport>;
