import { Inject, Injectable } from '@nestjs/common';
import type { CreateOrganizationRequest, Organization } from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';
import { v7 as uuidv7 } from 'uuid';

import { forbidden } from '../participants/actors.js';
import { signedActor } from '../participants/admin-actions.js';
import { ParticipantRepository } from '../participants/participant.repository.js';
import { CONTEXT, type AuthorityContext } from '../runtime/runtime.js';
import { OrganizationEntity } from './organization.entity.js';
import { OrganizationRepository } from './organization.repository.js';

@Injectable()
export class OrganizationsService {
  private readonly organizations: OrganizationRepository;
  private readonly participants: ParticipantRepository;

  constructor(@Inject(CONTEXT) context: AuthorityContext) {
    this.organizations = new OrganizationRepository(context.runtime.dataSource);
    this.participants = new ParticipantRepository(context.runtime.dataSource);
  }

  async create(
    actor: Actor | undefined,
    request: CreateOrganizationRequest,
  ): Promise<Organization> {
    // Organization names are unique (organizations_name_key): a replayed signed create is CONFLICT.
    const who = await signedActor(
      this.participants,
      actor,
      'organizations.create',
      { name: request.name },
      request.authorization,
    );
    if (who.role !== 'authority') {
      throw forbidden('only the authority registers organizations');
    }
    const organization = Object.assign(new OrganizationEntity(), {
      id: uuidv7(),
      name: request.name,
      createdAt: new Date(),
    });
    await this.organizations.insert(organization);
    return {
      id: organization.id,
      name: organization.name,
      createdAt: organization.createdAt.toISOString(),
    };
  }
}
