import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import {
  Header,
  natsContracts,
  okReply,
  SERVICE_NAMES,
  type Health,
  type Reply,
  type ServiceName,
} from '@sec-health/protocol';
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

function healthUp(service: ServiceName): Health {
  return { service, status: 'up', dependencies: { postgres: { status: 'up' } } };
}

/**
 * Plays the services behind the gateway (authority, storage, sharing), each connected as its own
 * NATS principal so the permissions are those npm start runs with. Every request is recorded with
 * its verified assertion, and `respond` (replaceable per test) decides the answer, by default a
 * valid output of the subject's contract. `<service>.health` is answered by `health`, by default
 * up. The gateway's status checks (an actor reading its own directory entry) are kept apart in
 * `statusChecks` and answered by `status`: by default active, in the asserted role and key version.
 */
export class StandInServices {
  readonly received: Received[] = [];
  readonly statusChecks: Received[] = [];
  respond: Responder = ({ subject }) => okReply(sampleOutput(subject));
  health: (service: ServiceName) => Answer = (service) => okReply(healthUp(service));
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
    private readonly connections: readonly NatsConnection[],
    private readonly verifier: ActorAssertionVerifier,
  ) {}

  static async start(nats: SecureTestNats, gatewayPublicKey: string): Promise<StandInServices> {
    const verifier = await ActorAssertionVerifier.fromPublicKey(gatewayPublicKey);
    const connections = await Promise.all(
      SERVICE_NAMES.map((service) => connect(nats.connectOptions(service))),
    );
    const standIn = new StandInServices(connections, verifier);
    SERVICE_NAMES.forEach((service, i) => {
      const nc = connections[i]!;
      nc.subscribe(`${service}.>`, {
        callback: (_err, msg) => void standIn.onMessage(service, msg),
      });
    });
    await Promise.all(connections.map((nc) => nc.flush()));
    return standIn;
  }

  /** Requests that carried this request id. */
  withRequestId(requestId: string): Received[] {
    return this.received.filter((r) => r.headers['x-request-id'] === requestId);
  }

  async stop(): Promise<void> {
    await Promise.all(this.connections.map((nc) => nc.drain()));
  }

  private async onMessage(service: ServiceName, msg: Msg): Promise<void> {
    if (msg.subject === `${service}.health`) {
      this.answer(msg, this.health(service));
      return;
    }
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
    const isStatusCheck =
      msg.subject === natsContracts.directoryGet.subject &&
      caller?.actor !== undefined &&
      (payload as { participantId?: unknown } | null)?.participantId === caller.actor.id;
    (isStatusCheck ? this.statusChecks : this.received).push(received);
    this.answer(msg, (isStatusCheck ? this.status : this.respond)(received));
  }

  private answer(msg: Msg, answer: Answer): void {
    if (answer === 'silent') return;
    msg.respond('raw' in answer ? answer.raw : JSON.stringify(answer));
  }
}
