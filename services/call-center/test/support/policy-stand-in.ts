import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  errorReply,
  ErrorCode,
  natsContracts,
  okReply,
  ProtocolError,
  type PolicyView,
} from '@sec-health/protocol';

import { policyView } from './fixtures.js';

/**
 * Plays the sharing service's side of `internal.sharing.policy.resolve` on the test's NATS
 * server, under its own principal: the default policy (break-glass on) unless the test set
 * another. Like the directory stand-in, a stand-in for another service, not a mock of NATS.
 */
export class PolicyStandIn {
  readonly #policies = new Map<string, PolicyView>();
  #subscription: Subscription | undefined;

  constructor(private readonly nc: NatsConnection) {}

  async start(): Promise<void> {
    const contract = natsContracts.policyResolve;
    this.#subscription = this.nc.subscribe(contract.subject);
    const subscription = this.#subscription;
    void (async () => {
      for await (const message of subscription) {
        const input = contract.input.safeParse(message.json());
        const reply = input.success
          ? okReply(this.#policies.get(input.data.patientId) ?? policyView(input.data.patientId))
          : errorReply(new ProtocolError(ErrorCode.ValidationFailed, 'invalid policy request'));
        message.respond(JSON.stringify(reply));
      }
    })();
    await this.nc.flush();
  }

  /** Stops answering, as a sharing service that is down (resume with start()). */
  async pause(): Promise<void> {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    await this.nc.flush();
  }

  set(view: PolicyView): void {
    this.#policies.set(view.policy.patientId, view);
  }

  async stop(): Promise<void> {
    this.#subscription?.unsubscribe();
    await this.nc.close();
  }
}
