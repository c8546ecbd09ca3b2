import { Inject, Injectable } from '@nestjs/common';
import { enqueueLedgerIntent, ledgerIntent } from '@sec-health/ledger';
import {
  domainEvents,
  ErrorCode,
  ProtocolError,
  type ApproveParticipantRequest,
  type DirectoryEntry,
  type Participant,
  type ParticipantList,
  type RegisterParticipantRequest,
  type RevokeParticipantRequest,
  type RotateKeysRequest,
  type SearchParticipantsRequest,
} from '@sec-health/protocol';
import type { Actor, RequestInfo } from '@sec-health/service-kit';
import { v7 as uuidv7 } from 'uuid';

import { attestParticipant } from '../attestations/attest-participant.js';
import { AttestationRepository } from '../attestations/attestation.repository.js';
import { OrganizationRepository } from '../organizations/organization.repository.js';
import { CONTEXT, type AuthorityContext } from '../runtime/runtime.js';
import { mayAdminister, mayKnowRef, mayRead, searchScope, type KnownActor } from './access.js';
import { forbidden, knownActor } from './actors.js';
import { signedActor } from './admin-actions.js';
import { newParticipantRef, sha256Hex } from './participant-ref.js';
import { ParticipantEntity } from './participant.entity.js';
import { ParticipantRepository } from './participant.repository.js';
import { toDirectoryEntry, toParticipant } from './participant-view.js';
import { pendingCutoff } from './pending-expiry.js';
import { assertRegistrationProof, assertRotation, assertStrongKeys } from './signatures.js';

/** Roles created only by the setup command, never through registration. */
const SETUP_ONLY_ROLES = new Set(['authority', 'emergency-server']);

@Injectable()
export class ParticipantsService {
  private readonly participants: ParticipantRepository;
  private readonly attestations: AttestationRepository;
  private readonly organizations: OrganizationRepository;

  constructor(@Inject(CONTEXT) private readonly context: AuthorityContext) {
    const { dataSource } = context.runtime;
    this.participants = new ParticipantRepository(dataSource);
    this.attestations = new AttestationRepository(dataSource);
    this.organizations = new OrganizationRepository(dataSource);
  }

  private get runtime() {
    return this.context.runtime;
  }

  async register(request: RegisterParticipantRequest): Promise<Participant> {
    if (SETUP_ONLY_ROLES.has(request.role)) {
      throw forbidden(
        `role ${request.role} is created by the authority's setup, not by registration`,
      );
    }
    if ((request.role === 'collaborator') !== (request.kind !== undefined)) {
      throw invalid('kind', 'is required for collaborators and only for them');
    }
    if (request.role !== 'patient' && request.organizationId === undefined) {
      throw invalid('organizationId', `is required for role ${request.role}`);
    }
    assertStrongKeys(request.keys, 'keys');
    assertRegistrationProof(request);
    if (
      request.organizationId !== undefined &&
      !(await this.organizations.exists(request.organizationId))
    ) {
      throw new ProtocolError(ErrorCode.NotFound, 'no such organization');
    }
    const earlier = await this.participants.findBySigningKey(request.keys.signing);
    if (earlier) return this.repeatedRegistration(earlier, request);
    const id = uuidv7();
    const now = new Date();
    const entity = Object.assign(new ParticipantEntity(), {
      id,
      role: request.role,
      kind: request.kind ?? null,
      organizationId: request.organizationId ?? null,
      status: 'pending',
      displayName: request.profile.displayName,
      email: request.profile.email ?? null,
      signingKey: request.keys.signing,
      encryptionKey: request.keys.encryption,
      keyVersion: 1,
      participantRef: newParticipantRef(request.role, id),
      setupName: null,
      createdAt: now,
      updatedAt: now,
    } satisfies ParticipantEntity);
    const inserted = await this.runtime.dataSource.transaction(async (m) => {
      const pending = await this.participants.lockAndCountPending(m, entity.organizationId);
      const cap =
        entity.organizationId === null
          ? this.runtime.config.pending.maxPatients
          : this.runtime.config.pending.maxPerOrganization;
      if (pending >= cap) {
        throw new ProtocolError(
          ErrorCode.RateLimited,
          `${pending} registrations already wait for approval ${entity.organizationId === null ? 'without an organization' : 'in this organization'}; retry once they are handled`,
          { retryAfterSeconds: 3600 },
        );
      }
      return this.participants.insertIfNew(m, entity);
    });
    if (!inserted) {
      // The same signing key was registered a moment ago, by this request's twin or another.
      const twin = await this.participants.findBySigningKey(request.keys.signing);
      if (!twin) throw new ProtocolError(ErrorCode.Conflict, 'the registration conflicts; retry');
      return this.repeatedRegistration(twin, request);
    }
    return toParticipant(entity, undefined, true);
  }

  /**
   * A client that lost the answer to its registration retries it: the same request (same keys,
   * role, organization and profile, proven by the same signing key) gets the same participant,
   * also when the retries race. Anything else registered under that signing key is a conflict.
   */
  private repeatedRegistration(
    earlier: ParticipantEntity,
    request: RegisterParticipantRequest,
  ): Participant {
    const same =
      earlier.role === request.role &&
      earlier.kind === (request.kind ?? null) &&
      earlier.organizationId === (request.organizationId ?? null) &&
      earlier.encryptionKey === request.keys.encryption &&
      earlier.displayName === request.profile.displayName &&
      earlier.email === (request.profile.email ?? null) &&
      earlier.status === 'pending';
    if (!same) {
      throw new ProtocolError(
        ErrorCode.Conflict,
        'a participant with this signing key already exists',
      );
    }
    return toParticipant(earlier, undefined, true);
  }

  async approve(
    actor: Actor | undefined,
    request: ApproveParticipantRequest,
  ): Promise<Participant> {
    const { participantId } = request;
    const who = await signedActor(
      this.participants,
      actor,
      'participants.approve',
      { participantId },
      request.authorization,
    );
    await this.runtime.dataSource.transaction(async (m) => {
      const target = await this.mustLock(m, participantId);
      const decision = mayAdminister(who, target);
      if (!decision.allowed) throw forbidden(decision.why);
      if (target.status !== 'pending') {
        throw new ProtocolError(ErrorCode.Conflict, `participant is ${target.status}, not pending`);
      }
      if (target.createdAt < pendingCutoff(this.runtime.config.pending.ttlHours)) {
        throw new ProtocolError(
          ErrorCode.Conflict,
          'the registration expired before it was approved; the participant must register again',
        );
      }
      target.status = 'active';
      target.updatedAt = new Date();
      await this.participants.save(m, target);
      await attestParticipant(m, this.runtime.attestationKey, this.attestations, target);
    });
    this.runtime.sender.nudge();
    return this.view(who, participantId);
  }

  async revoke(actor: Actor | undefined, request: RevokeParticipantRequest): Promise<Participant> {
    const who = await signedActor(
      this.participants,
      actor,
      'participants.revoke',
      { participantId: request.participantId, reason: request.reason },
      request.authorization,
    );
    await this.runtime.dataSource.transaction(async (m) => {
      const target = await this.mustLock(m, request.participantId);
      const decision = mayAdminister(who, target);
      if (!decision.allowed) throw forbidden(decision.why);
      if (target.status === 'revoked') {
        throw new ProtocolError(ErrorCode.Conflict, 'participant is already revoked');
      }
      const wasActive = target.status === 'active';
      target.status = 'revoked';
      target.updatedAt = new Date();
      await this.participants.save(m, target);
      // A pending participant was never attested: there is nothing on chain to revoke.
      if (wasActive) {
        await enqueueLedgerIntent(
          m,
          `authority:revoke:${target.id}`,
          ledgerIntent('ParticipantRegistry', 'revokeParticipant', {
            participantRef: target.participantRef,
            reasonHash: sha256Hex(request.reason),
          }),
        );
      }
    });
    this.runtime.sender.nudge();
    this.context.events.publish(domainEvents.participantRevoked, {
      participantId: request.participantId,
      at: new Date().toISOString(),
    });
    return this.view(who, request.participantId);
  }

  /**
   * Replaces a participant's keys: only with a statement signed by its current signing key (and
   * proof of the new one), checked against this service's own record, whatever the session or
   * the gateway says. Every session opened with the old keys ends (the gateway is told, and the
   * old key version is refused here).
   */
  async rotateKeys(actor: Actor | undefined, request: RotateKeysRequest): Promise<Participant> {
    const who = await knownActor(this.participants, actor);
    if (who.id !== request.participantId) {
      throw forbidden('participants rotate only their own keys');
    }
    assertStrongKeys(request.keys, 'keys');
    let keyVersion = 0;
    await this.runtime.dataSource.transaction(async (m) => {
      const target = await this.mustLock(m, request.participantId);
      assertRotation(request, target);
      if (target.status !== 'active') {
        throw new ProtocolError(ErrorCode.Conflict, `participant is ${target.status}, not active`);
      }
      target.signingKey = request.keys.signing;
      target.encryptionKey = request.keys.encryption;
      target.keyVersion += 1;
      target.updatedAt = new Date();
      await this.participants.save(m, target);
      await attestParticipant(m, this.runtime.attestationKey, this.attestations, target);
      keyVersion = target.keyVersion;
    });
    this.runtime.sender.nudge();
    this.context.events.publish(domainEvents.participantKeysRotated, {
      participantId: request.participantId,
      keyVersion,
      at: new Date().toISOString(),
    });
    return this.view(who, request.participantId);
  }

  async get(actor: Actor | undefined, participantId: string): Promise<Participant> {
    const who = await knownActor(this.participants, actor);
    const target = await this.mustFind(participantId);
    const decision = mayRead(who, target);
    if (!decision.allowed) throw forbidden(decision.why);
    return this.view(who, participantId, target);
  }

  async search(
    actor: Actor | undefined,
    request: SearchParticipantsRequest,
  ): Promise<ParticipantList> {
    const who = await knownActor(this.participants, actor);
    const scope = searchScope(who, request.organizationId);
    if (!scope.allowed) throw forbidden(scope.why);
    const rows = await this.participants.page(
      { role: request.role, status: request.status, organizationId: scope.organizationId },
      request.after,
      request.limit + 1,
    );
    const items = rows.slice(0, request.limit);
    const attestations = await this.attestations.currentFor(items.map((p) => p.id));
    return {
      items: items.map((p) => toParticipant(p, attestations.get(p.id), mayKnowRef(who, p))),
      next: rows.length > request.limit ? (items.at(-1)?.id ?? null) : null,
    };
  }

  /**
   * Public keys, key version, status and attestation, for any authenticated participant, and for
   * the gateway logging someone in. A patient's pseudonym (and the attestation naming it) only
   * for the patient and the authority.
   */
  async directory(request: RequestInfo, participantId: string): Promise<DirectoryEntry> {
    if (!request.actor && request.via !== 'login') {
      throw new ProtocolError(ErrorCode.Unauthenticated, 'authentication required');
    }
    const viewer = request.actor ? await knownActor(this.participants, request.actor) : undefined;
    const target = await this.mustFind(participantId);
    const showRef = mayKnowRef(viewer, target);
    const attestations = showRef
      ? await this.attestations.currentFor([target.id])
      : new Map<string, never>();
    return toDirectoryEntry(target, attestations.get(target.id), showRef);
  }

  private async view(
    viewer: KnownActor,
    participantId: string,
    known?: ParticipantEntity,
  ): Promise<Participant> {
    const target = known ?? (await this.mustFind(participantId));
    const attestations = await this.attestations.currentFor([target.id]);
    return toParticipant(target, attestations.get(target.id), mayKnowRef(viewer, target));
  }

  private async mustFind(id: string): Promise<ParticipantEntity> {
    const found = await this.participants.findById(id);
    if (!found) throw new ProtocolError(ErrorCode.NotFound, 'no such participant');
    return found;
  }

  private async mustLock(m: Parameters<ParticipantRepository['lockById']>[0], id: string) {
    const found = await this.participants.lockById(m, id);
    if (!found) throw new ProtocolError(ErrorCode.NotFound, 'no such participant');
    return found;
  }
}

function invalid(path: string, problem: string): ProtocolError {
  return new ProtocolError(
    ErrorCode.ValidationFailed,
    `invalid registration: ${path}: ${problem}`,
    { issues: [{ path, problem }] },
  );
}
