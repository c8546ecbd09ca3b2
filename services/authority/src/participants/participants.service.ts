import { Inject, Injectable } from '@nestjs/common';
import { enqueueLedgerIntent, ledgerIntent } from '@sec-health/ledger';
import {
  ErrorCode,
  ProtocolError,
  ROLE_CODE,
  type ApproveParticipantRequest,
  type DirectoryEntry,
  type Participant,
  type ParticipantList,
  type RegisterParticipantRequest,
  type RevokeParticipantRequest,
  type RotateKeysRequest,
  type SearchParticipantsRequest,
} from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';
import { v7 as uuidv7 } from 'uuid';

import { signAttestation } from '../attestations/attestation-signer.js';
import { AttestationRepository } from '../attestations/attestation.repository.js';
import { OrganizationRepository } from '../organizations/organization.repository.js';
import { RUNTIME, type AuthorityRuntime } from '../runtime/runtime.js';
import { mayAdminister, mayRead, searchScope } from './access.js';
import { forbidden, knownActor } from './actors.js';
import { signedActor } from './admin-actions.js';
import { newParticipantRef, sha256Hex } from './participant-ref.js';
import { ParticipantEntity } from './participant.entity.js';
import { ParticipantRepository } from './participant.repository.js';
import { toDirectoryEntry, toParticipant } from './participant-view.js';
import { assertProof, registrationMessage, rotateKeysMessage } from './proofs.js';

/** Roles created only by the setup command, never through registration. */
const SETUP_ONLY_ROLES = new Set(['authority', 'emergency-server']);

@Injectable()
export class ParticipantsService {
  private readonly participants: ParticipantRepository;
  private readonly attestations: AttestationRepository;
  private readonly organizations: OrganizationRepository;

  constructor(@Inject(RUNTIME) private readonly runtime: AuthorityRuntime) {
    this.participants = new ParticipantRepository(runtime.dataSource);
    this.attestations = new AttestationRepository(runtime.dataSource);
    this.organizations = new OrganizationRepository(runtime.dataSource);
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
    assertProof(request.keys.signing, registrationMessage(request), request.proof, 'registration');
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
    await this.runtime.dataSource.transaction((m) => this.participants.save(m, entity));
    return toParticipant(entity, undefined);
  }

  /**
   * A client that lost the answer to its registration retries it: the same request (same keys,
   * role, organization and profile, proven by the same signing key) gets the same participant.
   * Anything else registered under that signing key is a conflict.
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
    return toParticipant(earlier, undefined);
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
      target.status = 'active';
      target.updatedAt = new Date();
      await this.participants.save(m, target);
      const parts = signAttestation(this.runtime.attestationKey, target);
      await this.attestations.add(
        m,
        target,
        parts,
        `authority:attest:${target.id}:v${target.keyVersion}`,
        ledgerIntent('ParticipantRegistry', 'attestParticipant', [
          target.participantRef,
          parts.hash,
          ROLE_CODE[target.role],
          parts.validUntilSeconds,
        ]),
      );
    });
    this.runtime.sender.nudge();
    return this.get(actor, participantId);
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
          ledgerIntent('ParticipantRegistry', 'revokeParticipant', [
            target.participantRef,
            sha256Hex(request.reason),
          ]),
        );
      }
    });
    this.runtime.sender.nudge();
    return this.get(actor, request.participantId);
  }

  async rotateKeys(actor: Actor | undefined, request: RotateKeysRequest): Promise<Participant> {
    if (!actor) throw new ProtocolError(ErrorCode.Unauthenticated, 'authentication required');
    if (actor.id !== request.participantId)
      throw forbidden('participants rotate only their own keys');
    assertProof(request.keys.signing, rotateKeysMessage(request), request.proof, 'key rotation');
    await this.runtime.dataSource.transaction(async (m) => {
      const target = await this.mustLock(m, request.participantId);
      if (target.status !== 'active') {
        throw new ProtocolError(ErrorCode.Conflict, `participant is ${target.status}, not active`);
      }
      target.signingKey = request.keys.signing;
      target.encryptionKey = request.keys.encryption;
      target.keyVersion += 1;
      target.updatedAt = new Date();
      await this.participants.save(m, target);
      const parts = signAttestation(this.runtime.attestationKey, target);
      await this.attestations.add(
        m,
        target,
        parts,
        `authority:update:${target.id}:v${target.keyVersion}`,
        ledgerIntent('ParticipantRegistry', 'updateParticipant', [
          target.participantRef,
          parts.hash,
          ROLE_CODE[target.role],
          parts.validUntilSeconds,
        ]),
      );
    });
    this.runtime.sender.nudge();
    return this.view(request.participantId);
  }

  async get(actor: Actor | undefined, participantId: string): Promise<Participant> {
    const who = await knownActor(this.participants, actor);
    const target = await this.mustFind(participantId);
    const decision = mayRead(who, target);
    if (!decision.allowed) throw forbidden(decision.why);
    return this.view(participantId, target);
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
      items: items.map((p) => toParticipant(p, attestations.get(p.id))),
      next: rows.length > request.limit ? (items.at(-1)?.id ?? null) : null,
    };
  }

  /** Public keys, status and attestation: for any participant, the gateway's login included. */
  async directory(participantId: string): Promise<DirectoryEntry> {
    const target = await this.mustFind(participantId);
    const attestations = await this.attestations.currentFor([target.id]);
    return toDirectoryEntry(target, attestations.get(target.id));
  }

  private async view(participantId: string, known?: ParticipantEntity): Promise<Participant> {
    const target = known ?? (await this.mustFind(participantId));
    const attestations = await this.attestations.currentFor([target.id]);
    return toParticipant(target, attestations.get(target.id));
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
    {
      issues: [{ path, problem }],
    },
  );
}
