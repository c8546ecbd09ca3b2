import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  errorReply,
  ErrorCode,
  natsContracts,
  okReply,
  ProtocolError,
  type ResolvedParticipant,
} from '@sec-health/protocol';

/**
 * Plays the authority's side of `internal.authority.participants.resolve` on the test's NATS
 * server, under its own principal: it answers from the participants the test enrolled (with
 * real keys), and the test changes them (revocation, key rotation) as the authority would.
 * A stand-in for another service, not a mock of NATS: the service under test reaches it through
 * the real server, with its own credentials and permissions.
 */
export class DirectoryStandIn {
  readonly #participants = new Map<string, ResolvedParticipant>();
  #subscription: Subscription | undefined;
  /** How many resolve requests it answered. */
  requests = 0;

  constructor(private readonly nc: NatsConnection) {}

  async start(): Promise<void> {
    const contract = natsContracts.participantsResolve;
    this.#subscription = this.nc.subscribe(contract.subject);
    const subscription = this.#subscription;
    void (async () => {
      for await (const message of subscription) {
        this.requests += 1;
        const input = contract.input.safeParse(message.json());
        const reply = input.success
          ? okReply({
              items: input.data.ids.flatMap((id) => {
                const found = this.#participants.get(id);
                return found ? [found] : [];
              }),
            })
          : errorReply(new ProtocolError(ErrorCode.ValidationFailed, 'invalid resolve request'));
        message.respond(JSON.stringify(reply));
      }
    })();
    await this.nc.flush();
  }

  /** Stops answering, as an authority that is down (resume with start()). */
  async pause(): Promise<void> {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    await this.nc.flush();
  }

  set(participant: ResolvedParticipant): void {
    this.#participants.set(participant.id, participant);
  }

  get(id: string): ResolvedParticipant {
    const found = this.#participants.get(id);
    if (!found) throw new Error(`no participant ${id} in the stand-in directory`);
    return found;
  }

  async stop(): Promise<void> {
    this.#subscription?.unsubscribe();
    await this.nc.close();
  }
}
