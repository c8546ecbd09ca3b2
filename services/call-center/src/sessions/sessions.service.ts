import { Inject, Injectable } from '@nestjs/common';
import {
  enqueueLedgerIntent,
  isLedgerError,
  LedgerErrorCode,
  runAnchoredStep,
} from '@sec-health/ledger';
import { anchorsOf, type OutboxAnchor } from '@sec-health/persistence';
import {
  domainEvents,
  ErrorCode,
  ProtocolError,
  type CloseSessionRequest,
  type EmergencySession,
  type ListSessionsRequest,
  type OpenSessionRequest,
  type ReassignSessionRequest,
  type ResolvedParticipant,
} from '@sec-health/protocol';
import { requireActor, type Actor } from '@sec-health/service-kit';

import { CALLCENTER_SCHEMA } from '../config.js';
import { conflict, enforce, invalid, notFound, toProtocolError } from '../refusal.js';
import { CONTEXT, type CallCenterContext } from '../runtime/runtime.js';
import {
  closeKey,
  closeSessionIntent,
  openKey,
  openSessionIntent,
  reassignKey,
  reassignSessionIntent,
} from './session-anchors.js';
import {
  closingRefusal,
  listRefusal,
  openingRefusal,
  openRefusal,
  policyRefusal,
  reassignmentRefusal,
  sessionExpiry,
  viewRefusal,
} from './session-rules.js';
import { changeOf, toSession } from './session-view.js';
import { SessionEntity } from './session.entity.js';
import { SessionRepository } from './session.repository.js';

/** A session must have at least this long left when it opens (else: sign again). */
const MIN_SESSION_MS = 60_000;

/** Thrown inside the anchored step when the session id is already stored: rolls it back. */
class SessionIdTaken extends Error {}

@Injectable()
export class SessionsService {
  private readonly sessions: SessionRepository;

  constructor(@Inject(CONTEXT) private readonly context: CallCenterContext) {
    this.sessions = new SessionRepository(context.runtime.dataSource);
  }

  private get runtime() {
    return this.context.runtime;
  }

  /**
   * An attendant opens a break-glass session (openingRefusal, then the patient's policy). Fail
   * closed (ADR 0001): the session row commits only once SessionOpened's receipt is in; when the
   * chain does not confirm within the anchor timeout there is no session and the caller gets
   * DEPENDENCY_UNAVAILABLE "ledger unavailable". The same signed opening sent again returns the
   * session; another opening under a taken id is a CONFLICT.
   */
  async open(actor: Actor | undefined, request: OpenSessionRequest): Promise<EmergencySession> {
    const who = requireActor(actor);
    const { opening } = request;
    const earlier = await this.sessions.findById(opening.sessionId);
    if (earlier) return this.repeatedOpen(who, earlier, request);
    const now = this.context.clock();
    const parties = await this.context.directory.resolve([
      who.id,
      opening.patientId,
      opening.collaboratorId,
    ]);
    const attendant = parties.get(who.id);
    const patient = parties.get(opening.patientId);
    const collaborator = parties.get(opening.collaboratorId);
    enforce(openingRefusal({ actor: who, attendant, patient, collaborator, request, now }));
    const policy = await this.context.policies.policyOf(opening.patientId);
    enforce(policyRefusal(policy));
    const expiresAt = sessionExpiry(
      opening.signedAt,
      policy,
      this.runtime.config.defaultSessionMinutes,
    );
    if (expiresAt.getTime() - now.getTime() < MIN_SESSION_MS) {
      enforce(invalid('SIGNED_AT_SKEW', 'the opening was signed too long ago: sign again'));
    }
    const entity = Object.assign(new SessionEntity(), {
      sessionId: opening.sessionId,
      patientId: opening.patientId,
      attendantId: who.id,
      organizationId: attendant!.organizationId!,
      collaboratorId: opening.collaboratorId,
      reasonCode: opening.reasonCode,
      status: 'open',
      openedAt: now,
      expiresAt,
      closedAt: null,
      closeReason: null,
      opening,
      signature: request.signature,
      reassignments: 0,
    } satisfies SessionEntity);
    let anchor: OutboxAnchor;
    try {
      const { receipt } = await runAnchoredStep({
        dataSource: this.runtime.dataSource,
        schema: CALLCENTER_SCHEMA,
        idempotencyKey: openKey(opening.sessionId),
        intent: openSessionIntent({
          sessionId: opening.sessionId,
          patientRef: refOf(patient!),
          attendantRef: refOf(attendant!),
          collaboratorRef: refOf(collaborator!),
          reasonCode: opening.reasonCode,
          expiresAt,
        }),
        timeoutMs: this.runtime.config.anchorTimeoutMs,
        nudge: () => this.runtime.sender.nudge(),
        work: async (manager) => {
          if (!(await this.sessions.insertIfNew(manager, entity))) throw new SessionIdTaken();
        },
      });
      anchor = { status: 'confirmed', txHash: receipt.txHash, blockNumber: receipt.blockNumber };
    } catch (error) {
      if (error instanceof SessionIdTaken) {
        // Opened a moment ago, by this request's twin or by another.
        const twin = await this.sessions.findById(opening.sessionId);
        if (!twin) throw new ProtocolError(ErrorCode.Conflict, 'the session conflicts; retry');
        return this.repeatedOpen(who, twin, request);
      }
      throw openFailure(error);
    }
    this.context.events.publish(domainEvents.sessionOpened, changeOf(entity, now));
    return toSession(entity, anchor, this.context.clock());
  }

  async get(actor: Actor | undefined, sessionId: string): Promise<EmergencySession> {
    const who = requireActor(actor);
    const found = await this.mustFind(sessionId);
    enforce(viewRefusal(who, found));
    return this.view(found);
  }

  /** An attendant's organization's sessions with one status, in id order. */
  async list(actor: Actor | undefined, request: ListSessionsRequest) {
    const who = requireActor(actor);
    enforce(listRefusal(who));
    const now = this.context.clock();
    const rows = await this.sessions.page(
      { organizationId: who.organizationId!, status: request.status, now },
      request.after,
      request.limit + 1,
    );
    const items = rows.slice(0, request.limit);
    const anchors = await this.openAnchors(items);
    return {
      items: items.map((row) => toSession(row, anchors.get(row.sessionId), now)),
      next: rows.length > request.limit ? (items.at(-1)?.sessionId ?? null) : null,
    };
  }

  /**
   * An attendant of the organization hands an open session to another collaborator
   * (reassignmentRefusal). The change and its reassignSession anchor commit together; the
   * anchor follows through the outbox (not fail closed: the session already is on chain).
   */
  async reassign(
    actor: Actor | undefined,
    request: ReassignSessionRequest,
  ): Promise<EmergencySession> {
    const who = requireActor(actor);
    const found = await this.mustFind(request.sessionId);
    enforce(viewRefusal(who, found));
    const now = this.context.clock();
    const parties = await this.context.directory.resolve([who.id, request.collaboratorId]);
    const collaborator = parties.get(request.collaboratorId);
    enforce(
      reassignmentRefusal({
        actor: who,
        attendant: parties.get(who.id),
        collaborator,
        state: found,
        request,
        now,
      }),
    );
    const row = await this.runtime.dataSource.transaction(async (m) => {
      const locked = (await this.sessions.lockById(m, request.sessionId))!;
      enforce(openRefusal(locked, this.context.clock()));
      if (locked.collaboratorId === request.collaboratorId) {
        throw toProtocolError(
          conflict('SAME_COLLABORATOR', 'the session is already with this collaborator'),
        );
      }
      locked.collaboratorId = request.collaboratorId;
      locked.reassignments += 1;
      await enqueueLedgerIntent(
        m,
        reassignKey(locked.sessionId, locked.reassignments),
        reassignSessionIntent(locked.sessionId, refOf(collaborator!)),
      );
      return this.sessions.save(m, locked);
    });
    this.runtime.sender.nudge();
    this.context.events.publish(domainEvents.sessionReassigned, changeOf(row, now));
    return this.view(row);
  }

  /**
   * An attendant of the organization or the current collaborator ends an open session
   * (closingRefusal); the change and its closeSession anchor commit together.
   */
  async close(actor: Actor | undefined, request: CloseSessionRequest): Promise<EmergencySession> {
    const who = requireActor(actor);
    const found = await this.mustFind(request.sessionId);
    enforce(viewRefusal(who, found));
    const now = this.context.clock();
    const closer = (await this.context.directory.resolve([who.id])).get(who.id);
    enforce(closingRefusal({ actor: who, closer, state: found, request, now }));
    const row = await this.runtime.dataSource.transaction(async (m) => {
      const locked = (await this.sessions.lockById(m, request.sessionId))!;
      enforce(openRefusal(locked, this.context.clock()));
      locked.status = 'closed';
      locked.closedAt = now;
      locked.closeReason = request.reason;
      await enqueueLedgerIntent(
        m,
        closeKey(locked.sessionId),
        closeSessionIntent(locked.sessionId, request.reason),
      );
      return this.sessions.save(m, locked);
    });
    this.runtime.sender.nudge();
    this.context.events.publish(domainEvents.sessionClosed, changeOf(row, now));
    return this.view(row);
  }

  private repeatedOpen(actor: Actor, earlier: SessionEntity, request: OpenSessionRequest) {
    if (earlier.attendantId !== actor.id || earlier.signature !== request.signature) {
      throw toProtocolError(
        conflict('SESSION_ID_TAKEN', 'another session was opened under this id'),
      );
    }
    return this.view(earlier);
  }

  private async mustFind(sessionId: string): Promise<SessionEntity> {
    const found = await this.sessions.findById(sessionId);
    if (!found) throw toProtocolError(notFound('no such session'));
    return found;
  }

  private async view(entity: SessionEntity): Promise<EmergencySession> {
    const anchors = await this.openAnchors([entity]);
    return toSession(entity, anchors.get(entity.sessionId), this.context.clock());
  }

  /** The SessionOpened anchor of each session, by session id. */
  private async openAnchors(rows: readonly SessionEntity[]): Promise<Map<string, OutboxAnchor>> {
    const ids = await this.sessions.outboxIdsOf(rows.map((row) => openKey(row.sessionId)));
    const anchors = await anchorsOf(this.runtime.dataSource, CALLCENTER_SCHEMA, [...ids.values()]);
    const bySession = new Map<string, OutboxAnchor>();
    for (const row of rows) {
      const anchor = anchors.get(ids.get(openKey(row.sessionId)) ?? '');
      if (anchor) bySession.set(row.sessionId, anchor);
    }
    return bySession;
  }
}

/** An active participant's on-chain reference (the rules refuse anyone without one). */
function refOf(participant: ResolvedParticipant): string {
  if (participant.participantRef === null) {
    throw new ProtocolError(ErrorCode.Conflict, 'a participant of the session is not attested');
  }
  return participant.participantRef;
}

/** Why an anchored open failed, as the caller should see it. */
function openFailure(error: unknown): unknown {
  if (isLedgerError(error, LedgerErrorCode.Unavailable)) {
    return new ProtocolError(
      ErrorCode.DependencyUnavailable,
      'ledger unavailable: SessionOpened was not confirmed in time, so no session was opened; retry shortly',
      { dependency: 'the ledger' },
    );
  }
  // The outbox row under this session id holds another opening (an earlier attempt that never
  // committed): the id is taken on the chain's side.
  if (isLedgerError(error, LedgerErrorCode.InvalidArgument)) {
    return toProtocolError(
      conflict('SESSION_ID_TAKEN', 'another session was opened under this id'),
    );
  }
  if (isLedgerError(error, LedgerErrorCode.AnchorFailed)) {
    return new ProtocolError(
      ErrorCode.Conflict,
      'the ledger refused to open this session; no session was opened',
    );
  }
  return error;
}
