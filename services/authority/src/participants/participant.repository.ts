import type { ParticipantStatus, Role } from '@sec-health/protocol';
import { MoreThan, type DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';

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

  findBySetupName(setupName: string) {
    return this.dataSource.manager.findOneBy(ParticipantEntity, { setupName });
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
