import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import {
  natsContracts as c,
  okReply,
  type AccessCheckRequest,
  type AccessDecision,
  type ConsentPermission,
  type EmergencyServerSet,
  type ResolvedParticipant,
  type WrappedKey,
} from '@sec-health/protocol';
import type { ExtraNatsPrincipal, SecureTestNats } from '@sec-health/testing';

/** The NATS principal the stand-ins connect as: it answers the authority's and sharing's reads. */
export const STAND_IN_PRINCIPAL: ExtraNatsPrincipal = {
  name: 'stand-in',
  subscribe: ['internal.authority.>', 'internal.sharing.>'],
  allowResponses: true,
};

interface GrantRow {
  readonly actorId: string;
  readonly permission: ConsentPermission;
  readonly recordId: string | undefined;
  readonly allowed: boolean;
  readonly wrappedKey: WrappedKey | null;
}

/**
 * Stand-ins for the authority's directory and emergency set and for the sharing service's access
 * check, on the real NATS with their own principal: storage asks them exactly as it asks the real
 * services. What they answer is what the test put in: participants, the emergency set, and a table
 * of grants (no row: denied).
 */
export class StandIns {
  readonly participants = new Map<string, ResolvedParticipant>();
  /** Every access check storage made, in order. */
  readonly accessChecks: AccessCheckRequest[] = [];
  private grants: GrantRow[] = [];

  private constructor(
    private readonly nc: NatsConnection,
    public emergency: EmergencyServerSet,
  ) {}

  static async start(nats: SecureTestNats, emergency: EmergencyServerSet): Promise<StandIns> {
    const nc = await connect(nats.connectOptions(STAND_IN_PRINCIPAL.name));
    const standIns = new StandIns(nc, emergency);
    const answer = (handler: (payload: unknown) => unknown) => (_error: unknown, msg: Msg) => {
      msg.respond(JSON.stringify(okReply(handler(msg.json()))));
    };
    nc.subscribe(c.participantsResolve.subject, {
      callback: answer((payload) => standIns.resolve(payload as { ids: string[] })),
    });
    nc.subscribe(c.emergencyServersResolve.subject, {
      callback: answer(() => standIns.emergency),
    });
    nc.subscribe(c.accessCheck.subject, {
      callback: answer((payload) => standIns.decide(payload as AccessCheckRequest)),
    });
    await nc.flush();
    return standIns;
  }

  add(...participants: { readonly resolved: ResolvedParticipant }[]): void {
    for (const p of participants) this.participants.set(p.resolved.id, p.resolved);
  }

  /** `actorId` may (or, with allowed false, may not) do `permission`; on one record, or all. */
  grant(
    actorId: string,
    permission: ConsentPermission,
    options: { recordId?: string; wrappedKey?: WrappedKey | null; allowed?: boolean } = {},
  ): void {
    this.grants.push({
      actorId,
      permission,
      recordId: options.recordId,
      allowed: options.allowed ?? true,
      wrappedKey: options.wrappedKey ?? null,
    });
  }

  revokeAll(actorId: string): void {
    this.grants = this.grants.filter((row) => row.actorId !== actorId);
  }

  async stop(): Promise<void> {
    await this.nc.drain();
  }

  private resolve({ ids }: { ids: string[] }) {
    return {
      items: ids
        .map((id) => this.participants.get(id))
        .filter((found): found is ResolvedParticipant => found !== undefined),
    };
  }

  private decide(request: AccessCheckRequest): AccessDecision {
    this.accessChecks.push(request);
    // The most specific row wins: one naming this record before one for all records.
    const rows = this.grants.filter(
      (row) =>
        row.actorId === request.actorId &&
        row.permission === request.permission &&
        (row.recordId === undefined || row.recordId === request.recordId),
    );
    const row = rows.find((r) => r.recordId !== undefined) ?? rows[0];
    if (!row || !row.allowed) {
      return {
        allowed: false,
        reason: 'no active grant',
        consentId: null,
        expiresAt: null,
        wrappedKey: null,
      };
    }
    return {
      allowed: true,
      reason: 'granted',
      consentId: '00000000-0000-4000-8000-000000000001',
      expiresAt: null,
      wrappedKey: request.permission === 'read' ? row.wrappedKey : null,
    };
  }
}
