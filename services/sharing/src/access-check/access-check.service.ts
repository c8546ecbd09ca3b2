import { Inject, Injectable } from '@nestjs/common';
import type { AccessCheckRequest, AccessDecision } from '@sec-health/protocol';

import { ConsentRepository } from '../grants/consent.repository.js';
import { CONTEXT, type SharingContext } from '../runtime/runtime.js';
import { decideAccess } from './decide-access.js';

/**
 * `internal.sharing.access.check`: the storage service asks, for a record it is about to
 * release or accept, whether a grant in effect allows it, and for a read which wrapped key to
 * hand over. NATS permissions decide who may ask (natsPrincipals: storage); the request carries
 * no actor of its own.
 */
@Injectable()
export class AccessCheckService {
  private readonly consents: ConsentRepository;

  constructor(@Inject(CONTEXT) context: SharingContext) {
    this.consents = new ConsentRepository(context.runtime.dataSource);
  }

  async check(request: AccessCheckRequest): Promise<AccessDecision> {
    const now = new Date();
    const candidates = await this.consents.accessCandidates({
      patientId: request.patientId,
      granteeId: request.actorId,
      permission: request.permission,
      recordId: request.recordId,
      version: request.version,
    });
    return decideAccess(
      request,
      candidates.map(({ consent, key }) => ({
        consent: consent.body,
        revokedAt: consent.revokedAt,
        key:
          key === null
            ? null
            : {
                recipientId: key.recipientId,
                recipientKeyVersion: key.recipientKeyVersion,
                wrappedKey: key.wrappedKey,
              },
      })),
      now,
    );
  }
}
