import { randomUUID } from 'node:crypto';

import { verifyCanonicalEncoded } from '@sec-health/crypto';
import { enqueueLedgerIntent, ledgerIntent } from '@sec-health/ledger';
import { anchorsOf } from '@sec-health/persistence';
import {
  CONTENT_CHUNK_BYTES,
  recordMetadataStatement,
  SIGNED_AT_MAX_SKEW_MS,
  uuidToBytes32,
  type Integrity,
  type PutRecordRequest,
  type RecordAccess,
  type RecordVersion,
  type ResolvedParticipant,
  type UploadTicket,
  type WrappedKey,
} from '@sec-health/protocol';
import { requireActor, type Actor } from '@sec-health/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { STORAGE_SCHEMA } from '../config.js';
import { checkIntegrity } from '../integrity/check-integrity.js';
import { signedMetadataHash } from '../integrity/metadata-hash.js';
import { CONTEXT, type StorageContext } from '../runtime/runtime.js';
import { assertEmergencyShares, assertKeyRecipients } from './announcement-checks.js';
import { assertMayVersion, mayWrite, relationOf } from './record-access.js';
import { conflict, forbidden, integrityMismatch, invalid, notFound } from './record-errors.js';
import type { RecordVersionRow } from './record-rows.js';

/** What a reader gets: the version and the key wrapped to them (from storage or from a grant). */
interface Readable {
  readonly row: RecordVersionRow;
  readonly wrappedKey: WrappedKey;
}

/**
 * The storage phase's rules: who may announce a version, what makes an announcement valid, who
 * may read a version and with which wrapped key, and whether what is stored still matches its
 * signature and its chain anchor.
 */
/** How long a version that passed the full integrity check serves range reads without another. */
const INTACT_FOR_MS = 60_000;
const MAX_REMEMBERED = 10_000;

@Injectable()
export class RecordsService {
  private readonly recentlyIntact = new Map<string, number>();

  constructor(@Inject(CONTEXT) private readonly context: StorageContext) {}

  private get runtime() {
    return this.context.runtime;
  }

  async announce(actor: Actor | undefined, request: PutRecordRequest): Promise<UploadTicket> {
    const who = requireActor(actor);
    const { metadata, signature, authorKeyVersion } = request.signed;
    const decision = mayWrite(who, metadata);
    if (!decision.allowed) throw forbidden(decision.reason);
    if (Date.parse(metadata.createdAt) > Date.now() + SIGNED_AT_MAX_SKEW_MS) {
      throw invalid('signed.metadata.createdAt', 'is in the future');
    }

    const participants = await this.context.reads.participants([
      metadata.patientId,
      metadata.authorId,
    ]);
    const patient = participants.get(metadata.patientId);
    const author = participants.get(metadata.authorId);
    if (!patient || patient.role !== 'patient') throw notFound('no such patient');
    if (patient.status !== 'active' || patient.participantRef === null) {
      throw forbidden('the patient is not active');
    }
    if (!author || author.status !== 'active' || author.participantRef === null) {
      throw forbidden('the author is not active');
    }
    if (authorKeyVersion !== author.keyVersion) {
      throw forbidden(
        `signed with key version ${authorKeyVersion}; the author's current version is ${author.keyVersion}`,
        'STALE_KEY',
      );
    }
    if (
      !verifyCanonicalEncoded(author.keys.signing, recordMetadataStatement(metadata), signature)
    ) {
      throw forbidden(
        "the metadata does not verify with the author's signing key",
        'BAD_SIGNATURE',
      );
    }
    if (decision.needsWriteGrant) {
      const grant = await this.context.reads.accessCheck({
        actorId: who.id,
        patientId: metadata.patientId,
        permission: 'write',
        category: metadata.category,
        recordId: metadata.recordId,
        version: metadata.version,
      });
      if (!grant.allowed) throw forbidden(`no write grant: ${grant.reason}`);
    }
    assertKeyRecipients(request, patient, author);
    assertEmergencyShares(request, await this.context.reads.emergencyServers());

    const { records } = this.runtime;
    const uploadId = randomUUID();
    const expiresAt = new Date(Date.now() + this.runtime.config.uploadTtlMs);
    return records.transaction(async (m) => {
      await records.lockRecord(m, metadata.recordId);
      const versions = await records.versionsOf(metadata.recordId, m);
      const same = versions.find((v) => v.version === metadata.version);
      if (same) {
        const retried = await this.repeatedAnnouncement(m, same, signature);
        if (retried) return retried;
        versions.pop();
      }
      const latest = versions.at(-1);
      if (latest) assertMayVersion(who, latest, metadata);
      const expected = (latest?.version ?? 0) + 1;
      if (metadata.version !== expected) {
        throw conflict(`the next version of this record is ${expected}`, 'VERSION_OUT_OF_ORDER');
      }
      if (latest && latest.status !== 'stored') {
        throw conflict(`version ${latest.version} is still waiting for its content`);
      }
      await records.insertAnnounced(m, {
        row: rowOf(request, author, patient),
        keys: request.keys,
        shares: request.shares,
        upload: { uploadId, actorId: who.id, expiresAt },
      });
      return ticket(uploadId, metadata.recordId, metadata.version, metadata.size, expiresAt);
    });
  }

  /**
   * The same announcement again (a retry) gets its upload back; one whose upload expired is
   * dropped so it can start over (undefined); anything else is a conflict.
   */
  private async repeatedAnnouncement(
    m: EntityManager,
    row: RecordVersionRow,
    signature: string,
  ): Promise<UploadTicket | undefined> {
    if (row.signature !== signature) throw conflict('this version exists with other metadata');
    if (row.status === 'stored') throw conflict('this version is already stored', 'ALREADY_STORED');
    const { records } = this.runtime;
    const upload = await records.findUploadOf(row.recordId, row.version, m);
    if (upload && upload.expiresAt.getTime() > Date.now()) {
      return ticket(upload.uploadId, row.recordId, row.version, row.size, upload.expiresAt);
    }
    await records.dropAnnounced(m, row.recordId, row.version);
    return undefined;
  }

  async get(actor: Actor | undefined, recordId: string, version?: number): Promise<RecordAccess> {
    const readable = await this.readable(requireActor(actor), recordId, version);
    const integrity = await this.assertIntact(readable.row);
    return { record: await this.view(readable.row), wrappedKey: readable.wrappedKey, integrity };
  }

  /**
   * The full integrity check (content hashed) or INTEGRITY_MISMATCH. A version that passed is
   * remembered for a short while, so the range reads of a download (which starts with a get) do
   * not hash the whole content again each, while a range read with no recent check gets one.
   */
  async assertIntact(row: RecordVersionRow): Promise<Integrity> {
    const integrity = await this.integrity(row, true);
    const key = `${row.recordId}/${row.version}`;
    if (integrity.status === 'mismatch') {
      this.recentlyIntact.delete(key);
      throw integrityMismatch(integrity);
    }
    this.recentlyIntact.set(key, Date.now());
    return integrity;
  }

  /** Like assertIntact, but trusts a pass of the last INTACT_FOR_MS. */
  async assertRecentlyIntact(row: RecordVersionRow): Promise<void> {
    const key = `${row.recordId}/${row.version}`;
    const at = this.recentlyIntact.get(key);
    if (at !== undefined && Date.now() - at < INTACT_FOR_MS) return;
    if (this.recentlyIntact.size > MAX_REMEMBERED) this.recentlyIntact.clear();
    await this.assertIntact(row);
  }

  async verify(actor: Actor | undefined, recordId: string, version?: number) {
    const { row } = await this.readable(requireActor(actor), recordId, version);
    return { recordId, version: row.version, integrity: await this.integrity(row, true) };
  }

  /**
   * A version `actor` may read now, with the key wrapped to them: the patient's and the
   * author's are stored with the version; anyone else's comes from an active grant.
   */
  async readable(actor: Actor, recordId: string, version?: number): Promise<Readable> {
    const { records } = this.runtime;
    const row =
      version === undefined
        ? await records.latestStored(recordId)
        : await records.findVersion(recordId, version);
    if (!row || row.status !== 'stored') throw notFound('no such record version');
    const relation = relationOf(actor.id, row);
    if (relation !== 'other') {
      const key = await records.keyFor(row.recordId, row.version, actor.id);
      if (!key) throw forbidden('no key is wrapped to you for this version');
      return { row, wrappedKey: key };
    }
    const decision = await this.context.reads.accessCheck({
      actorId: actor.id,
      patientId: row.patientId,
      permission: 'read',
      category: row.metadata.category,
      recordId: row.recordId,
      version: row.version,
    });
    if (!decision.allowed) throw forbidden(decision.reason);
    if (!decision.wrappedKey) throw forbidden('your grant holds no key for this version');
    return { row, wrappedKey: decision.wrappedKey };
  }

  /** Whether `actor` may read `row` (for lists and histories, which leave out what they may not). */
  async mayRead(actor: Actor, row: RecordVersionRow): Promise<boolean> {
    if (relationOf(actor.id, row) !== 'other') return true;
    const decision = await this.context.reads.accessCheck({
      actorId: actor.id,
      patientId: row.patientId,
      permission: 'read',
      category: row.metadata.category,
      recordId: row.recordId,
      version: row.version,
    });
    return decision.allowed;
  }

  integrity(row: RecordVersionRow, content: boolean): Promise<Integrity> {
    return checkIntegrity(
      row,
      { registry: this.runtime.contracts.RecordRegistry, content: this.runtime.content },
      { content },
    );
  }

  async view(row: RecordVersionRow): Promise<RecordVersion> {
    return (await this.views([row]))[0]!;
  }

  async views(rows: readonly RecordVersionRow[]): Promise<RecordVersion[]> {
    const ids = rows.map((row) => row.outboxId).filter((id): id is string => id !== null);
    const anchors = await anchorsOf(this.runtime.dataSource, STORAGE_SCHEMA, ids);
    return rows.map((row) => ({
      signed: {
        metadata: row.metadata,
        signature: row.signature,
        authorKeyVersion: row.authorKeyVersion,
      },
      storedAt: (row.storedAt ?? new Date()).toISOString(),
      anchor: (row.outboxId && anchors.get(row.outboxId)) || {
        status: 'pending',
        txHash: null,
        blockNumber: null,
      },
    }));
  }

  /**
   * The RecordAnchored intent of a version whose content is stored: with the ciphertext hash, the
   * hash of the signed metadata (signedMetadataHash), so the signed metadata is anchored too.
   */
  static anchorIntent(row: RecordVersionRow) {
    return ledgerIntent('RecordRegistry', 'anchorRecord', {
      patientRef: row.patientRef,
      recordId: uuidToBytes32(row.recordId),
      version: row.version,
      ciphertextHash: row.metadata.ciphertextHash,
      authorRef: row.authorRef,
      metadataHash: signedMetadataHash(row),
    });
  }

  static async enqueueAnchor(
    manager: Parameters<typeof enqueueLedgerIntent>[0],
    row: RecordVersionRow,
  ): Promise<string> {
    return enqueueLedgerIntent(
      manager,
      `record:${row.recordId}:${row.version}:anchor`,
      RecordsService.anchorIntent(row),
    );
  }
}

function rowOf(
  request: PutRecordRequest,
  author: ResolvedParticipant,
  patient: ResolvedParticipant,
): Omit<RecordVersionRow, 'status' | 'storedAt' | 'outboxId'> {
  const { metadata, signature, authorKeyVersion } = request.signed;
  return {
    recordId: metadata.recordId,
    version: metadata.version,
    patientId: metadata.patientId,
    authorId: metadata.authorId,
    category: metadata.category,
    confidentiality: metadata.confidentiality,
    sensitivity: metadata.sensitivity,
    createdAt: new Date(metadata.createdAt),
    contentType: metadata.contentType,
    size: metadata.size,
    cid: metadata.cid,
    ciphertextHash: metadata.ciphertextHash,
    metadata,
    signature,
    authorKeyVersion,
    authorSigningKey: author.keys.signing,
    patientRef: patient.participantRef!,
    authorRef: author.participantRef!,
  };
}

function ticket(
  uploadId: string,
  recordId: string,
  version: number,
  size: number,
  expiresAt: Date,
): UploadTicket {
  return {
    uploadId,
    recordId,
    version,
    size,
    chunkBytes: CONTENT_CHUNK_BYTES,
    expiresAt: expiresAt.toISOString(),
  };
}
