import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import {
  okReply,
  type DirectoryEntry,
  type Health,
  type ParticipantStatus,
  type Reply,
  type Role,
} from '@sec-health/protocol';

export interface Received {
  readonly subject: string;
  readonly payload: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

/** What the stand-in answers: a Reply, raw text (a broken service), or nothing (a hung one). */
export type Answer = Reply<unknown> | { readonly raw: string } | 'silent';
export type Responder = (received: Received) => Answer;

export const AUTHORITY_UP: Health = {
  service: 'authority',
  status: 'up',
  dependencies: { postgres: { status: 'up' } },
};

/** The directory entry the stand-in reports for a participant (status checks, logins). */
export function directoryEntry(
  id: string,
  role: Role,
  status: ParticipantStatus,
  signing = 'A'.repeat(43),
  organizationId: string | null = null,
): DirectoryEntry {
  return {
    id,
    role,
    kind: null,
    organizationId,
    status,
    keys: { signing, encryption: 'B'.repeat(43) },
    participantRef: `0x${'ab'.repeat(32)}`,
    attestation: null,
  };
}

/**
 * Answers `authority.*` like the authority would, with a plain NATS subscription: every request
 * is recorded, and `respond` (replaceable per test) decides the answer. `authority.health` is up.
 * The gateway's status checks (an actor reading its own directory entry) are kept apart in
 * `statusChecks` and answered by `status`: by default active in the role the headers claim.
 */
export class StandInAuthority {
  readonly received: Received[] = [];
  readonly statusChecks: Received[] = [];
  respond: Responder = () => okReply({ stub: true });
  status: Responder = ({ headers }) =>
    okReply(directoryEntry(headers['x-actor-id']!, headers['x-actor-role'] as Role, 'active'));

  private constructor(private readonly nc: NatsConnection) {}

  static async start(natsUrl: string): Promise<StandInAuthority> {
    const nc = await connect({ servers: natsUrl, name: 'stand-in-authority' });
    const standIn = new StandInAuthority(nc);
    nc.subscribe('authority.>', { callback: (_err, msg) => standIn.onMessage(msg) });
    await nc.flush();
    return standIn;
  }

  /** Requests that carried this request id. */
  withRequestId(requestId: string): Received[] {
    return this.received.filter((r) => r.headers['x-request-id'] === requestId);
  }

  async stop(): Promise<void> {
    await this.nc.drain();
  }

  private onMessage(msg: Msg): void {
    const headers: Record<string, string> = {};
    for (const [key, values] of msg.headers ?? []) headers[key.toLowerCase()] = values[0] ?? '';
    let payload: unknown;
    try {
      payload = msg.json();
    } catch {
      payload = msg.string();
    }
    const received = { subject: msg.subject, payload, headers };
    if (msg.subject === 'authority.health') {
      msg.respond(JSON.stringify(okReply(AUTHORITY_UP)));
      return;
    }
    const isStatusCheck =
      msg.subject === 'authority.directory.get' &&
      headers['x-actor-id'] !== undefined &&
      (payload as { participantId?: unknown } | null)?.participantId === headers['x-actor-id'];
    (isStatusCheck ? this.statusChecks : this.received).push(received);
    const answer = (isStatusCheck ? this.status : this.respond)(received);
    if (answer === 'silent') return;
    msg.respond('raw' in answer ? answer.raw : JSON.stringify(answer));
  }
}
