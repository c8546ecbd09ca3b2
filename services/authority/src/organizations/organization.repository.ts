import type { DataSource } from 'typeorm';

import { conflictOnDuplicate } from '../persistence-errors.js';
import { OrganizationEntity } from './organization.entity.js';

export class OrganizationRepository {
  constructor(private readonly dataSource: DataSource) {}

  exists(id: string): Promise<boolean> {
    return this.dataSource.manager.existsBy(OrganizationEntity, { id });
  }

  async insert(organization: OrganizationEntity): Promise<void> {
    await conflictOnDuplicate('an organization with this name already exists', () =>
      this.dataSource.manager.insert(OrganizationEntity, organization),
    );
  }
}
