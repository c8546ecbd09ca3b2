import { OutboxEntry } from '@sec-health/persistence';
import type { SessionStatus } from '@sec-health/protocol';
import { In, type DataSource, type EntityManager } from 'typeorm';

import { SessionEntity } from './session.entity.js';

export class SessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(sessionId: string) {
    return this.dataSource.manager.findOneBy(SessionEntity, { sessionId });
  }

  /** Reads and row-locks a session inside `manager`'s transaction: state changes serialize. */
  lockById(manager: EntityManager, sessionId: string) {
    return manager.findOne(SessionEntity, {
      where: { sessionId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Inserts the session unless its id is taken; false when it was (a retry, or a race). */
  async insertIfNew(manager: EntityManager, session: SessionEntity): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(SessionEntity)
      .values(session)
      .orIgnore()
      .returning('session_id')
      .execute();
    return Array.isArray(result.raw) && result.raw.length > 0;
  }

  save(manager: EntityManager, session: SessionEntity) {
    return manager.save(SessionEntity, session);
  }

  /**
   * One keyset page of an organization's sessions in id order. `open` and `expired` follow the
   * clock: an open session past its expiry is listed as expired before the sweep closes it.
   */
  page(
    filter: { organizationId: string; status: SessionStatus; now: Date },
    after: string | undefined,
    limit: number,
  ) {
    const query = this.dataSource.manager
      .createQueryBuilder(SessionEntity, 's')
      .where('s.organization_id = :organizationId', filter)
      .orderBy('s.session_id', 'ASC')
      .take(limit);
    if (after) query.andWhere('s.session_id > :after', { after });
    if (filter.status === 'closed') query.andWhere("s.status = 'closed'");
    if (filter.status === 'open') {
      query.andWhere("s.status = 'open' AND s.expires_at > :now", { now: filter.now });
    }
    if (filter.status === 'expired') {
      query.andWhere("(s.status = 'expired' OR (s.status = 'open' AND s.expires_at <= :now))", {
        now: filter.now,
      });
    }
    return query.getMany();
  }

  /**
   * Locks up to `limit` open sessions at or past their expiry inside `manager`'s transaction,
   * skipping rows another replica's sweep (or a close) holds.
   */
  lockExpired(manager: EntityManager, now: Date, limit: number) {
    return manager
      .createQueryBuilder(SessionEntity, 's')
      .where("s.status = 'open' AND s.expires_at <= :now", { now })
      .orderBy('s.expires_at', 'ASC')
      .take(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  /** The outbox row ids of these idempotency keys, by key (absent when no row). */
  async outboxIdsOf(keys: readonly string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const rows = await this.dataSource.manager.find(OutboxEntry, {
      select: { id: true, idempotencyKey: true },
      where: { idempotencyKey: In([...keys]) },
    });
    return new Map(rows.map((row) => [row.idempotencyKey, row.id]));
  }
}
