import { Inject, Injectable } from '@nestjs/common';
import { canonicalJson } from '@sec-health/crypto';
import { enqueueLedgerIntent, ledgerIntent } from '@sec-health/ledger';
import { anchorsOf } from '@sec-health/persistence';
import {
  type AddGrantKeysRequest,
  type CreateGrantRequest,
  domainEvents,
  ErrorCode,
  type FhirResource,
  type Grant,
  type GrantList,
  type ListGrantsRequest,
  type PatientsOfCollaborator as PatientsOfCollaboratorSchema,
  ProtocolError,
  type RecipientList as RecipientListSchema,
  type RecipientsRequest,
  type ResolvedParticipant,
  type RevokeGrantRequest,
  uuidToBytes32,
} from '@sec-health/protocol';
import { type Actor, actorProblem, requireActor, type z } from '@sec-health/service-kit';

import { SHARING_SCHEMA } from '../config.js';
import { conflict, enforce, toProtocolError } from '../refusal.js';
import { CONTEXT, type SharingContext } from '../runtime/runtime.js';
import { consentHash, revocationHash } from '../signatures/anchored-hashes.js';
import { grantStatus } from './consent-state.js';
import { ConsentEntity } from './consent.entity.js';
import { ConsentRepository } from './consent.repository.js';
import { toFhirConsent } from './fhir-consent.js';
import { addKeysRefusal, recipientsRefusal, viewRefusal } from './grant-access.js';
import { grantCreationRefusal } from './grant-creation-rules.js';
import { grantKeysRefusal } from './grant-keys-rules.js';
import { stateOf, toGrant } from './grant-view.js';
import { revocationRefusal, revocationSigningRefusal } from './revocation-rules.js';

/** At most this many grants are listed by grant.patients (the contract has no paging). */
const MAX_PATIENT_GRANTS = 1000;

type PatientsOfCollaborator = z.input<typeof PatientsOfCollaboratorSchema>;
type RecipientList = z.input<typeof RecipientListSchema>;

@Injectable()
export class GrantsService {
  private readonly consents: ConsentRepository;

  constructor(@Inject(CONTEXT) private readonly context: SharingContext) {
    this.consents = new ConsentRepository(context.runtime.dataSource);
  }

  private get runtime() {
    return this.context.runtime;
  }

  /**
   * A patient grants access (grantCreationRefusal says who may, to whom, and what the signature
   * and keys must be). The consent, its keys and the grantConsent anchor commit together. The
   * same consent sent again (a retry) returns the grant as it stands; another consent under a
   * taken id is a CONFLICT.
   */
  async create(actor: Actor | undefined, request: CreateGrantRequest): Promise<Grant> {
    const who = requireActor(actor);
    const { consent } = request;
    const earlier = await this.consents.findById(consent.consentId);
    if (earlier) return this.repeatedGrant(who, earlier, request);
    const now = new Date();
    const parties = await this.context.directory.resolve([consent.patientId, consent.granteeId]);
    const patient = parties.get(consent.patientId);
    const grantee = parties.get(consent.granteeId);
    enforce(grantCreationRefusal({ actor: who, patient, grantee, request, now }));
    const entity = Object.assign(new ConsentEntity(), {
      consentId: consent.consentId,
      patientId: consent.patientId,
      granteeId: consent.granteeId,
      permission: consent.permission,
      purposeOfUse: consent.purposeOfUse,
      recordIds: consent.scope.recordIds,
      categories: consent.scope.categories,
      validFrom: new Date(consent.validFrom),
      expiresAt: new Date(consent.expiresAt),
      body: consent,
      signature: request.signature,
      consentHash: consentHash(consent, request.signature),
      outboxId: '',
      revokedAt: null,
      revocationSignedAt: null,
      revocationSignature: null,
      revocationHash: null,
      revocationOutboxId: null,
      createdAt: now,
    } satisfies ConsentEntity);
    const inserted = await this.runtime.dataSource.transaction(async (m) => {
      entity.outboxId = await enqueueLedgerIntent(
        m,
        `consent:${consent.consentId}:grant`,
        ledgerIntent('ConsentLedger', 'grantConsent', {
          patientRef: chainRef(patient!),
          consentId: uuidToBytes32(consent.consentId),
          consentHash: entity.consentHash,
          granteeRef: chainRef(grantee!),
        }),
      );
      if (!(await this.consents.insertIfNew(m, entity))) return false;
      await this.consents.storeKeys(m, consent.consentId, request.keys);
      return true;
    });
    if (!inserted) {
      // The same id was granted a moment ago, by this request's twin or by another.
      const twin = await this.consents.findById(consent.consentId);
      if (!twin) throw new ProtocolError(ErrorCode.Conflict, 'the grant conflicts; retry');
      return this.repeatedGrant(who, twin, request);
    }
    this.runtime.sender.nudge();
    this.context.events.publish(domainEvents.consentGranted, {
      consentId: consent.consentId,
      patientId: consent.patientId,
      granteeId: consent.granteeId,
      at: now.toISOString(),
    });
    return this.view(entity, now);
  }

  async list(actor: Actor | undefined, request: ListGrantsRequest): Promise<GrantList> {
    const who = requireActor(actor);
    const now = new Date();
    const rows = await this.consents.page(
      { side: request.as, participantId: who.id, status: request.status, now },
      request.after,
      request.limit + 1,
    );
    const items = rows.slice(0, request.limit);
    return {
      items: await this.views(items, now),
      next: rows.length > request.limit ? (items.at(-1)?.consentId ?? null) : null,
    };
  }

  async get(actor: Actor | undefined, consentId: string): Promise<Grant> {
    const who = requireActor(actor);
    const found = await this.mustFind(consentId);
    enforce(viewRefusal(who, stateOf(found)));
    return this.view(found, new Date());
  }

  async fhir(actor: Actor | undefined, consentId: string): Promise<z.input<typeof FhirResource>> {
    const who = requireActor(actor);
    const found = await this.mustFind(consentId);
    enforce(viewRefusal(who, stateOf(found)));
    return toFhirConsent(stateOf(found), new Date());
  }

  /**
   * The patient revokes a grant: its wrapped keys are deleted in the same transaction that marks
   * it revoked and enqueues revokeConsent, so no access check after this returns sees either.
   * A grant already revoked is returned as it is.
   */
  async revoke(actor: Actor | undefined, request: RevokeGrantRequest): Promise<Grant> {
    const who = requireActor(actor);
    const found = await this.mustFind(request.consentId);
    enforce(revocationRefusal(who, stateOf(found)));
    if (found.revokedAt !== null) return this.view(found, new Date());
    const now = new Date();
    const patient = (await this.context.directory.resolve([found.patientId])).get(found.patientId);
    enforce(revocationSigningRefusal(who, patient, stateOf(found), request, now));
    const outcome = await this.runtime.dataSource.transaction(async (m) => {
      const row = (await this.consents.lockById(m, request.consentId))!;
      if (row.revokedAt !== null) return { row, changed: false };
      const hash = revocationHash({
        consentId: row.consentId,
        signedAt: request.signedAt,
        signature: request.signature,
      });
      row.revocationOutboxId = await enqueueLedgerIntent(
        m,
        `consent:${row.consentId}:revoke`,
        ledgerIntent('ConsentLedger', 'revokeConsent', {
          consentId: uuidToBytes32(row.consentId),
          revocationHash: hash,
        }),
      );
      row.revokedAt = now;
      row.revocationSignedAt = request.signedAt;
      row.revocationSignature = request.signature;
      row.revocationHash = hash;
      await this.consents.save(m, row);
      await this.consents.deleteKeys(m, row.consentId);
      return { row, changed: true };
    });
    if (outcome.changed) {
      this.runtime.sender.nudge();
      this.context.events.publish(domainEvents.consentRevoked, {
        consentId: found.consentId,
        patientId: found.patientId,
        granteeId: found.granteeId,
        at: now.toISOString(),
      });
    }
    return this.view(outcome.row, new Date());
  }

  /**
   * Keys for an active grant's grantee, from its patient or an author holding the patient's
   * write grant; stored under a lock on the grant, so a revocation cannot slip between the check
   * and the insert. Idempotent: `added` counts only keys new or replaced by a newer key version.
   */
  async addKeys(
    actor: Actor | undefined,
    request: AddGrantKeysRequest,
  ): Promise<{ consentId: string; added: number }> {
    const who = requireActor(actor);
    const found = await this.mustFind(request.consentId);
    const now = new Date();
    const actorGrants =
      who.id === found.patientId
        ? []
        : (await this.consents.liveBetween(found.patientId, who.id, now)).map(stateOf);
    enforce(addKeysRefusal(who, stateOf(found), actorGrants, now));
    const parties = await this.context.directory.resolve([who.id, found.granteeId]);
    enforce(actorProblem(who, parties.get(who.id)));
    const grantee = parties.get(found.granteeId);
    if (!grantee || grantee.status !== 'active') {
      throw toProtocolError(conflict('GRANTEE_NOT_ACTIVE', 'the grantee is no longer active'));
    }
    enforce(grantKeysRefusal(found.body, grantee, request.keys));
    const added = await this.runtime.dataSource.transaction(async (m) => {
      const row = (await this.consents.lockById(m, request.consentId))!;
      const status = grantStatus(stateOf(row), new Date());
      if (status !== 'active') {
        throw toProtocolError(
          conflict('GRANT_NOT_ACTIVE', `the grant is ${status}: no keys can be added`),
        );
      }
      return this.consents.storeKeys(m, row.consentId, request.keys);
    });
    return { consentId: request.consentId, added };
  }

  /**
   * Who a new record of the patient's category (or this record) must be wrapped to: the
   * grantees of the read grants in effect that cover it, with their current encryption keys.
   * Grantees no longer active are left out.
   */
  async recipients(actor: Actor | undefined, request: RecipientsRequest): Promise<RecipientList> {
    const who = requireActor(actor);
    const now = new Date();
    const actorGrants =
      who.id === request.patientId
        ? []
        : (await this.consents.liveBetween(request.patientId, who.id, now)).map(stateOf);
    enforce(recipientsRefusal(who, request, actorGrants, now));
    const grants = await this.consents.readGrantsCovering(
      request.patientId,
      request.category,
      request.recordId,
      now,
    );
    const parties = await this.context.directory.resolve([
      who.id,
      ...grants.map((g) => g.granteeId),
    ]);
    enforce(actorProblem(who, parties.get(who.id)));
    return {
      patientId: request.patientId,
      recipients: grants.flatMap((grant) => {
        const grantee = parties.get(grant.granteeId);
        if (!grantee || grantee.status !== 'active') return [];
        return [
          {
            consentId: grant.consentId,
            granteeId: grant.granteeId,
            encryptionKey: grantee.keys.encryption,
            keyVersion: grantee.keyVersion,
          },
        ];
      }),
    };
  }

  /** The patients whose grants to the actor are in effect now, with those grants. */
  async patients(actor: Actor | undefined): Promise<PatientsOfCollaborator> {
    const who = requireActor(actor);
    const rows = await this.consents.inEffectTo(who.id, new Date(), MAX_PATIENT_GRANTS);
    const byPatient = new Map<string, PatientsOfCollaborator['items'][number]['grants']>();
    for (const row of rows) {
      const grants = byPatient.get(row.patientId) ?? [];
      grants.push({
        consentId: row.consentId,
        permission: row.permission,
        scope: row.body.scope,
        expiresAt: row.body.expiresAt,
      });
      byPatient.set(row.patientId, grants);
    }
    return { items: [...byPatient].map(([patientId, grants]) => ({ patientId, grants })) };
  }

  private repeatedGrant(actor: Actor, earlier: ConsentEntity, request: CreateGrantRequest) {
    const same =
      earlier.patientId === actor.id &&
      earlier.signature === request.signature &&
      canonicalJson(earlier.body) === canonicalJson(request.consent);
    if (!same) {
      throw toProtocolError(
        conflict('CONSENT_ID_TAKEN', 'this consent id is already used by another grant'),
      );
    }
    return this.view(earlier, new Date());
  }

  private async mustFind(consentId: string): Promise<ConsentEntity> {
    const found = await this.consents.findById(consentId);
    if (!found) throw new ProtocolError(ErrorCode.NotFound, 'no such grant');
    return found;
  }

  private async view(entity: ConsentEntity, now: Date): Promise<Grant> {
    return (await this.views([entity], now))[0]!;
  }

  private async views(entities: readonly ConsentEntity[], now: Date): Promise<Grant[]> {
    const ids = entities.map((e) => e.consentId);
    const outboxIds = entities.flatMap((e) =>
      e.revocationOutboxId === null ? [e.outboxId] : [e.outboxId, e.revocationOutboxId],
    );
    const [counts, anchors] = await Promise.all([
      this.consents.keyCounts(ids),
      anchorsOf(this.runtime.dataSource, SHARING_SCHEMA, outboxIds),
    ]);
    return entities.map((e) => toGrant(e, counts.get(e.consentId) ?? 0, anchors, now));
  }
}

/** A participant's on-chain reference; only a pending participant has none, and none is active. */
function chainRef(participant: ResolvedParticipant): string {
  if (participant.participantRef === null) {
    throw new ProtocolError(
      ErrorCode.DependencyUnavailable,
      'authority: an active participant without an on-chain reference',
      { service: 'authority' },
    );
  }
  return participant.participantRef;
}
