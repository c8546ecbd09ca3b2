import type { ParticipantStatus, Role } from '@sec-health/protocol';
import {
  IsNull,
  LessThan,
  MoreThan,
  type DataSource,
  type EntityManager,
  type FindOptionsWhere,
} from 'typeorm';

import { conflictOnDuplicate } from '../persistence-errors.js';
import { ParticipantEntity } from './participant.entity.js';

export interface ParticipantFilter {
  readonly role?: Role;
  readonly organizationId?: string;
  readonly status?: ParticipantStatus;
}

export class ParticipantRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager) {
    return manager.findOneBy(ParticipantEntity, { id });
  }

  findBySigningKey(signingKey: string) {
    return this.dataSource.manager.findOneBy(ParticipantEntity, { signingKey });
  }

  /**
   * The setup participant `setupName`, read inside `manager`'s transaction after taking a
   * transaction-scoped advisory lock on the name, so concurrent setup runs serialize.
   */
  async lockSetupName(manager: EntityManager, setupName: string) {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `authority:setup:${setupName}`,
    ]);
    return manager.findOneBy(ParticipantEntity, { setupName });
  }

  /** Reads and row-locks a participant inside `manager`'s transaction: state changes serialize. */
  lockById(manager: EntityManager, id: string) {
    return manager.findOne(ParticipantEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async save(manager: EntityManager, participant: ParticipantEntity): Promise<ParticipantEntity> {
    return conflictOnDuplicate('a participant with this signing key already exists', () =>
      manager.save(ParticipantEntity, participant),
    );
  }

  /**
   * Inserts a new registration unless one with the same signing key exists; false when it did.
   * Idempotent under concurrency: ten identical registrations at once insert one row.
   */
  async insertIfNew(manager: EntityManager, participant: ParticipantEntity): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(ParticipantEntity)
      .values(participant)
      .orIgnore()
      .execute();
    // PostgreSQL returns the inserted row (RETURNING), and none when the insert was ignored.
    return Array.isArray(result.raw) && result.raw.length > 0;
  }

  /**
   * How many registrations wait for approval in `organizationId` (null: patients without one),
   * counted after a transaction-scoped lock on that scope, so concurrent registrations cannot
   * all slip under the cap.
   */
  async lockAndCountPending(
    manager: EntityManager,
    organizationId: string | null,
  ): Promise<number> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `authority:pending:${organizationId ?? 'none'}`,
    ]);
    return manager.countBy(ParticipantEntity, {
      status: 'pending',
      organizationId: organizationId === null ? IsNull() : organizationId,
    });
  }

  /** Deletes registrations still pending since before `cutoff`; returns how many. */
  async deletePendingSince(cutoff: Date): Promise<number> {
    const result = await this.dataSource.manager.delete(ParticipantEntity, {
      status: 'pending',
      createdAt: LessThan(cutoff),
    });
    return result.affected ?? 0;
  }

  /** Keyset page in id order (UUIDv7: creation order): ids after `after`, at most `limit`. */
  page(filter: ParticipantFilter, after: string | undefined, limit: number) {
    const where: FindOptionsWhere<ParticipantEntity> = {
      ...(filter.role ? { role: filter.role } : {}),
      ...(filter.organizationId ? { organizationId: filter.organizationId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(after ? { id: MoreThan(after) } : {}),
    };
    return this.dataSource.manager.find(ParticipantEntity, {
      where,
      order: { id: 'ASC' },
      take: limit,
    });
  }
}
