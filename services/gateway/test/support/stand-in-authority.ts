import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { Header, natsContracts, okReply, type Health, type Reply } from '@sec-health/protocol';
import { ActorAssertionVerifier, type AssertedCaller } from '@sec-health/service-kit';
import type { SecureTestNats } from '@sec-health/testing';

import { directoryEntry, sampleOutput } from './sample-outputs.js';

export { directoryEntry } from './sample-outputs.js';

export interface Received {
  readonly subject: string;
  readonly payload: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** What the gateway's assertion says, verified with its public key; undefined if it does not verify. */
  readonly caller: AssertedCaller | undefined;
}

/** What the stand-in answers: a Reply, raw text (a broken service), or nothing (a hung one). */
export type Answer = Reply<unknown> | { readonly raw: string } | 'silent';
export type Responder = (received: Received) => Answer;

export const AUTHORITY_UP: Health = {
  service: 'authority',
  status: 'up',
  dependencies: { postgres: { status: 'up' } },
};

/**
 * Answers `authority.*` like the authority would, connected as the `authority` principal: every
 * request is recorded with its verified assertion, and `respond` (replaceable per test) decides
 * the answer, by default a valid output of the subject's contract. `authority.health` is up. The
 * gateway's status checks (an actor reading its own directory entry) are kept apart in
 * `statusChecks` and answered by `status`: by default active, in the asserted role and key version.
 */
export class StandInAuthority {
  readonly received: Received[] = [];
  readonly statusChecks: Received[] = [];
  respond: Responder = ({ subject }) => okReply(sampleOutput(subject));
  status: Responder = ({ caller }) =>
    okReply(
      directoryEntry(
        caller!.actor!.id,
        caller!.actor!.role,
        'active',
        undefined,
        caller!.actor!.organizationId,
        caller!.actor!.keyVersion,
      ),
    );

  private constructor(
    private readonly nc: NatsConnection,
    private readonly verifier: ActorAssertionVerifier,
  ) {}

  static async start(nats: SecureTestNats, gatewayPublicKey: string): Promise<StandInAuthority> {
    const nc = await connect(nats.connectOptions('authority'));
    const verifier = await ActorAssertionVerifier.fromPublicKey(gatewayPublicKey);
    const standIn = new StandInAuthority(nc, verifier);
    nc.subscribe('authority.>', { callback: (_err, msg) => void standIn.onMessage(msg) });
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

  private async onMessage(msg: Msg): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [key, values] of msg.headers ?? []) headers[key.toLowerCase()] = values[0] ?? '';
    let payload: unknown;
    try {
      payload = msg.json();
    } catch {
      payload = msg.string();
    }
    const caller = await this.verifier
      .verify(headers[Header.ActorAssertion], msg.subject, payload)
      .catch(() => undefined);
    const received = { subject: msg.subject, payload, headers, caller };
    if (msg.subject === 'authority.health') {
      msg.respond(JSON.stringify(okReply(AUTHORITY_UP)));
      return;
    }
    const isStatusCheck =
      msg.subject === natsContracts.directoryGet.subject &&
      caller?.actor !== undefined &&
      (payload as { participantId?: unknown } | null)?.participantId === caller.actor.id;
    (isStatusCheck ? this.statusChecks : this.received).push(received);
    const answer = (isStatusCheck ? this.status : this.respond)(received);
    if (answer === 'silent') return;
    msg.respond('raw' in answer ? answer.raw : JSON.stringify(answer));
  }
}
