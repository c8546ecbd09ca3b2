import { Inject, Injectable } from '@nestjs/common';
import { majorityThreshold } from '@sec-health/crypto';
import type { EmergencyServerSet, ResolvedParticipant } from '@sec-health/protocol';
import { In, Like } from 'typeorm';

import { ParticipantEntity } from '../participants/participant.entity.js';
import { CONTEXT, type AuthorityContext } from '../runtime/runtime.js';

const EMERGENCY_SETUP_NAME = /^emergency-(\d+)$/;

/**
 * What other services may read of the directory (ADR 0006): participants' roles, status, keys
 * and on-chain references, and the emergency server set. Only services reach these subjects; a
 * patient's pseudonym goes no further than the service that anchors on the patient's behalf.
 */
@Injectable()
export class DirectoryReadsService {
  constructor(@Inject(CONTEXT) private readonly context: AuthorityContext) {}

  async resolve(ids: readonly string[]): Promise<{ items: ResolvedParticipant[] }> {
    const found = await this.context.runtime.dataSource.manager.findBy(ParticipantEntity, {
      id: In([...new Set(ids)]),
    });
    return { items: found.map(toResolved) };
  }

  /** Active emergency servers by index (setup names `emergency-<i>`), threshold a majority. */
  async emergencyServers(): Promise<EmergencyServerSet> {
    const rows = await this.context.runtime.dataSource.manager.findBy(ParticipantEntity, {
      role: 'emergency-server',
      status: 'active',
      setupName: Like('emergency-%'),
    });
    const servers = rows
      .map((row) => ({ row, index: Number(EMERGENCY_SETUP_NAME.exec(row.setupName ?? '')?.[1]) }))
      .filter(({ index }) => Number.isInteger(index) && index >= 1)
      .sort((a, b) => a.index - b.index)
      .map(({ row, index }) => ({
        index,
        participantId: row.id,
        encryptionKey: row.encryptionKey,
        keyVersion: row.keyVersion,
      }));
    return {
      threshold: servers.length >= 2 ? majorityThreshold(servers.length) : 2,
      servers,
    };
  }
}

function toResolved(entity: ParticipantEntity): ResolvedParticipant {
  return {
    id: entity.id,
    role: entity.role,
    kind: entity.kind,
    organizationId: entity.organizationId,
    status: entity.status,
    keys: { signing: entity.signingKey, encryption: entity.encryptionKey },
    keyVersion: entity.keyVersion,
    participantRef: entity.status === 'pending' ? null : entity.participantRef,
  };
}
