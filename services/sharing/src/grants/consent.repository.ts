import type { ConsentPermission, GrantKey, RecordCategory } from '@sec-health/protocol';
import { In, type DataSource, type EntityManager } from 'typeorm';

import { SHARING_SCHEMA } from '../config.js';
import { ConsentKeyEntity } from './consent-key.entity.js';
import { ConsentEntity } from './consent.entity.js';
import type { GrantStatus } from './consent-state.js';

export interface ConsentPageFilter {
  /** Whose consents: those the patient gave, or those given to the grantee. */
  readonly side: 'patient' | 'grantee';
  readonly participantId: string;
  readonly status?: GrantStatus;
  readonly now: Date;
}

/** A consent with the key it holds for one record version, if any. */
export interface ConsentWithKey {
  readonly consent: ConsentEntity;
  readonly key: ConsentKeyEntity | null;
}

const KEYS_TABLE = `"${SHARING_SCHEMA}"."consent_keys"`;

export class ConsentRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(consentId: string, manager: EntityManager = this.dataSource.manager) {
    return manager.findOneBy(ConsentEntity, { consentId });
  }

  /** Reads and row-locks a consent inside `manager`'s transaction: state changes serialize. */
  lockById(manager: EntityManager, consentId: string) {
    return manager.findOne(ConsentEntity, {
      where: { consentId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Inserts the consent unless its id is taken; false when it was (a retry, or a race). */
  async insertIfNew(manager: EntityManager, consent: ConsentEntity): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(ConsentEntity)
      .values(consent)
      .orIgnore()
      .returning('consent_id')
      .execute();
    // PostgreSQL returns the inserted row, and none when the insert was ignored.
    return Array.isArray(result.raw) && result.raw.length > 0;
  }

  save(manager: EntityManager, consent: ConsentEntity) {
    return manager.save(ConsentEntity, consent);
  }

  /**
   * Stores keys under a consent; returns how many were new or replaced. A key already held for
   * a record version is replaced only by one wrapped to a newer key version of the grantee (after
   * a rotation), so a repeat changes nothing and one author cannot overwrite another's key.
   */
  async storeKeys(
    manager: EntityManager,
    consentId: string,
    keys: readonly GrantKey[],
  ): Promise<number> {
    if (keys.length === 0) return 0;
    const rows = keys.map((k) => ({
      record_id: k.recordId,
      version: k.version,
      recipient_id: k.wrappedKey.recipientId,
      recipient_key_version: k.wrappedKey.recipientKeyVersion,
      wrapped_key: k.wrappedKey.wrappedKey,
    }));
    const changed = await manager.query<unknown[]>(
      `INSERT INTO ${KEYS_TABLE} AS k
         (consent_id, record_id, version, recipient_id, recipient_key_version, wrapped_key)
       SELECT $1, r.record_id, r.version, r.recipient_id, r.recipient_key_version, r.wrapped_key
         FROM jsonb_to_recordset($2::jsonb) AS r(
           record_id uuid, version bigint, recipient_id uuid,
           recipient_key_version bigint, wrapped_key text)
       ON CONFLICT (consent_id, record_id, version) DO UPDATE
         SET recipient_id = EXCLUDED.recipient_id,
             recipient_key_version = EXCLUDED.recipient_key_version,
             wrapped_key = EXCLUDED.wrapped_key,
             created_at = now()
         WHERE k.recipient_key_version < EXCLUDED.recipient_key_version
       RETURNING 1`,
      [consentId, JSON.stringify(rows)],
    );
    return changed.length;
  }

  async deleteKeys(manager: EntityManager, consentId: string): Promise<number> {
    const result = await manager.delete(ConsentKeyEntity, { consentId });
    return result.affected ?? 0;
  }

  /** How many keys each consent holds. */
  async keyCounts(consentIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (consentIds.length === 0) return counts;
    const rows = await this.dataSource.manager
      .createQueryBuilder(ConsentKeyEntity, 'k')
      .select('k.consent_id', 'consentId')
      .addSelect('count(*)::int', 'count')
      .where({ consentId: In([...consentIds]) })
      .groupBy('k.consent_id')
      .getRawMany<{ consentId: string; count: number }>();
    for (const row of rows) counts.set(row.consentId, row.count);
    return counts;
  }

  /** Keyset page in consent id order: ids after `after`, at most `limit`. */
  page(filter: ConsentPageFilter, after: string | undefined, limit: number) {
    const column = filter.side === 'patient' ? 'c.patient_id' : 'c.grantee_id';
    const query = this.dataSource.manager
      .createQueryBuilder(ConsentEntity, 'c')
      .where(`${column} = :participantId`, { participantId: filter.participantId })
      .orderBy('c.consent_id', 'ASC')
      .take(limit);
    if (after) query.andWhere('c.consent_id > :after', { after });
    if (filter.status === 'revoked') query.andWhere('c.revoked_at IS NOT NULL');
    if (filter.status === 'expired') {
      query.andWhere('c.revoked_at IS NULL AND c.expires_at <= :now', { now: filter.now });
    }
    if (filter.status === 'active') {
      query.andWhere('c.revoked_at IS NULL AND c.expires_at > :now', { now: filter.now });
    }
    return query.getMany();
  }

  /**
   * The patient's consents to the grantee with this permission, revoked and expired ones too
   * (so the decision can say why), each with the key it holds for the record version; the
   * access check decides from these (decideAccess). A patient gives one grantee a handful.
   */
  async accessCandidates(request: {
    readonly patientId: string;
    readonly granteeId: string;
    readonly permission: ConsentPermission;
    readonly recordId: string;
    readonly version: number;
  }): Promise<ConsentWithKey[]> {
    const consents = await this.dataSource.manager
      .createQueryBuilder(ConsentEntity, 'c')
      .where('c.patient_id = :patientId AND c.grantee_id = :granteeId', request)
      .andWhere('c.permission = :permission', request)
      .getMany();
    if (consents.length === 0) return [];
    const keys = await this.dataSource.manager.findBy(ConsentKeyEntity, {
      consentId: In(consents.map((c) => c.consentId)),
      recordId: request.recordId,
      version: request.version,
    });
    const byConsent = new Map(keys.map((k) => [k.consentId, k]));
    return consents.map((consent) => ({ consent, key: byConsent.get(consent.consentId) ?? null }));
  }

  /** The unrevoked, unexpired consents `patientId` gave `granteeId`. */
  liveBetween(patientId: string, granteeId: string, now: Date) {
    return this.dataSource.manager
      .createQueryBuilder(ConsentEntity, 'c')
      .where('c.patient_id = :patientId AND c.grantee_id = :granteeId', { patientId, granteeId })
      .andWhere('c.revoked_at IS NULL AND c.expires_at > :now', { now })
      .getMany();
  }

  /** The patient's read consents in effect now whose scope names the category or the record. */
  readGrantsCovering(
    patientId: string,
    category: RecordCategory,
    recordId: string | undefined,
    now: Date,
  ) {
    const query = this.dataSource.manager
      .createQueryBuilder(ConsentEntity, 'c')
      .where('c.patient_id = :patientId', { patientId })
      .andWhere("c.permission = 'read' AND c.revoked_at IS NULL")
      .andWhere('c.valid_from <= :now AND c.expires_at > :now', { now })
      .orderBy('c.consent_id', 'ASC');
    if (recordId === undefined) {
      query.andWhere(':category = ANY(c.categories)', { category });
    } else {
      query.andWhere(
        '(:category = ANY(c.categories) OR CAST(:recordId AS uuid) = ANY(c.record_ids))',
        {
          category,
          recordId,
        },
      );
    }
    return query.getMany();
  }

  /** The consents in effect now given to `granteeId`, by patient (at most `limit`). */
  inEffectTo(granteeId: string, now: Date, limit: number) {
    return this.dataSource.manager
      .createQueryBuilder(ConsentEntity, 'c')
      .where('c.grantee_id = :granteeId AND c.revoked_at IS NULL', { granteeId })
      .andWhere('c.valid_from <= :now AND c.expires_at > :now', { now })
      .orderBy('c.patient_id', 'ASC')
      .addOrderBy('c.consent_id', 'ASC')
      .take(limit)
      .getMany();
  }
}
