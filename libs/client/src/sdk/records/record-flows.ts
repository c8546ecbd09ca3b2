import { randomUUID } from 'node:crypto';

import { zeroize, type EncryptionKeyPair, type ParticipantKeys } from '@sec-health/crypto';
import {
  FHIR_CONTENT_TYPE,
  type Confidentiality,
  type RecordAccess,
  type RecordCategory,
  type RecordContentType,
  type RecordVersion,
} from '@sec-health/protocol';

import { ClientError, ClientErrorCode } from '../../errors.js';
import type { SecHealthClient } from '../client.js';
import { downloadContent, uploadContent } from '../content-transport.js';
import type { RouteInput } from '../routes.js';
import { buildRecordVersion, wrapFor, type BuiltRecordVersion } from './build-version.js';
import { validateFhirRecord } from './fhir-validation.js';
import { assertAuthentic, decryptWith, openRecordVersion, unwrapDataKey } from './open-version.js';

/** The signed-in participant, with the keys that sign, wrap and unwrap on this machine. */
export interface Me {
  readonly id: string;
  readonly keys: ParticipantKeys;
  /** Encryption keys replaced by key rotations, by key version (what older keys were wrapped to). */
  readonly retiredEncryptionKeys?: ReadonlyMap<number, EncryptionKeyPair>;
}

export type Progress = (done: number, total: number) => void;

export interface NewRecord {
  readonly patientId: string;
  readonly category: RecordCategory;
  readonly contentType: RecordContentType;
  readonly content: Uint8Array;
  readonly confidentiality?: Confidentiality;
  readonly sensitivity?: readonly string[];
  readonly recordId?: string;
}

export interface OpenedRecord {
  readonly access: RecordAccess;
  readonly plaintext: Uint8Array;
}

/**
 * Records as a participant uses them: every crypto step here on the client, the services only
 * see ciphertext, wrapped keys, sealed shares and signed metadata.
 */
export class RecordFlows {
  private ownKeyVersion: number | undefined;

  constructor(
    readonly client: SecHealthClient,
    readonly me: Me,
  ) {}

  async keyVersion(): Promise<number> {
    this.ownKeyVersion ??= (await this.client.getDirectoryEntry(this.me.id)).keyVersion;
    return this.ownKeyVersion;
  }

  /** Validates (FHIR), encrypts, uploads, and wraps the key to the category's grantees. */
  async add(record: NewRecord, progress?: Progress): Promise<RecordVersion> {
    if (record.contentType === FHIR_CONTENT_TYPE) validateFhirRecord(record.content);
    return this.writeVersion(
      {
        recordId: record.recordId ?? randomUUID(),
        version: 1,
        patientId: record.patientId,
        category: record.category,
        confidentiality: record.confidentiality ?? 'N',
        sensitivity: record.sensitivity ?? [],
        contentType: record.contentType,
      },
      record.content,
      progress,
    );
  }

  /**
   * Writes one version: built on this machine, announced, streamed, then its key wrapped to
   * every current read grantee of its category (they are told by the sharing service).
   */
  async writeVersion(
    fields: {
      recordId: string;
      version: number;
      patientId: string;
      category: RecordCategory;
      confidentiality: Confidentiality;
      sensitivity: readonly string[];
      contentType: RecordContentType;
    },
    plaintext: Uint8Array,
    progress?: Progress,
  ): Promise<RecordVersion> {
    const [patient, emergency, keyVersion] = await Promise.all([
      this.client.getDirectoryEntry(fields.patientId),
      this.client.call('emergencyServers.list', {}),
      this.keyVersion(),
    ]);
    const built = await buildRecordVersion({
      ...fields,
      patient: {
        id: patient.id,
        encryptionKey: patient.keys.encryption,
        keyVersion: patient.keyVersion,
      },
      author: { id: this.me.id, keyVersion, keys: this.me.keys },
      plaintext,
      emergency,
    });
    try {
      const ticket = await this.client.call('records.put', built.request);
      const stored = await uploadContent(
        { ...this.transport(), ...(progress ? { onProgress: progress } : {}) },
        ticket.uploadId,
        built.ciphertext,
      );
      await this.shareWithGrantees(built, fields.patientId);
      return stored;
    } finally {
      zeroize(built.dataKey);
    }
  }

  private async shareWithGrantees(built: BuiltRecordVersion, patientId: string): Promise<void> {
    const { recordId, version, category } = built.request.signed.metadata;
    const { recipients } = await this.client.call('grants.recipients', {
      patientId,
      category,
      recordId,
    });
    for (const recipient of recipients) {
      const wrappedKey = await wrapFor(
        {
          id: recipient.granteeId,
          encryptionKey: recipient.encryptionKey,
          keyVersion: recipient.keyVersion,
        },
        built.dataKey,
        recordId,
        version,
      );
      await this.client.call('grants.addKeys', {
        consentId: recipient.consentId,
        keys: [{ recordId, version, wrappedKey }],
      });
    }
  }

  /** Downloads, checks (hash, chain anchor, author signature) and decrypts one version. */
  async get(recordId: string, version?: number, progress?: Progress): Promise<OpenedRecord> {
    const access = await this.client.call('records.get', {
      recordId,
      ...(version === undefined ? {} : { version }),
    });
    const { metadata, authorKeyVersion } = access.record.signed;
    const ciphertext = await downloadContent(
      { ...this.transport(), ...(progress ? { onProgress: progress } : {}) },
      recordId,
      metadata.version,
    );
    const author = await this.client.getDirectoryEntry(metadata.authorId).catch(() => undefined);
    assertAuthentic(
      access,
      ciphertext,
      author && author.keyVersion === authorKeyVersion
        ? { signingKey: author.keys.signing, keyVersion: author.keyVersion }
        : undefined,
    );
    const plaintext = await openRecordVersion(
      access,
      ciphertext,
      this.me.id,
      await this.encryptionKeyFor(access),
    );
    return { access, plaintext };
  }

  /** The data key of a version the caller can read (for re-wrapping to a grantee). */
  async dataKeyOf(access: RecordAccess): Promise<Uint8Array> {
    return unwrapDataKey(access, this.me.id, await this.encryptionKeyFor(access));
  }

  /** The caller's encryption key the version's data key was wrapped to (current or retired). */
  private async encryptionKeyFor(access: RecordAccess): Promise<EncryptionKeyPair> {
    const wrappedTo = access.wrappedKey.recipientKeyVersion;
    if (wrappedTo === (await this.keyVersion())) return this.me.keys.encryption;
    return this.me.retiredEncryptionKeys?.get(wrappedTo) ?? this.me.keys.encryption;
  }

  /**
   * A new version of the record under a fresh data key (and fresh shares): what a revocation
   * does so that keys held before it open nothing written after.
   */
  async rotate(recordId: string, progress?: Progress): Promise<RecordVersion> {
    const { access, plaintext } = await this.get(recordId);
    const m = access.record.signed.metadata;
    try {
      return await this.writeVersion(
        {
          recordId,
          version: m.version + 1,
          patientId: m.patientId,
          category: m.category,
          confidentiality: m.confidentiality,
          sensitivity: m.sensitivity,
          contentType: m.contentType,
        },
        plaintext,
        progress,
      );
    } finally {
      zeroize(plaintext);
    }
  }

  /** Every record of the patient matching `filter` the caller may read (all pages). */
  async listAll(filter: RouteInput<'records.list'>): Promise<RecordVersion[]> {
    const items: RecordVersion[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.client.call('records.list', {
        ...filter,
        ...(after ? { after } : {}),
      });
      items.push(...page.items);
      if (page.next === null) return items;
      after = page.next;
    }
  }

  decrypt = decryptWith;

  private transport() {
    if (this.client.token === undefined) {
      throw new ClientError(ClientErrorCode.NotLoggedIn, 'transfers need a login first');
    }
    return {
      apiUrl: this.client.apiUrl,
      fetch: this.client.fetchFunction,
      token: this.client.token,
    };
  }
}
