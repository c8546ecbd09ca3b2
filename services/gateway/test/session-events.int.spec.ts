import { randomUUID } from 'node:crypto';

import { connect, type NatsConnection } from '@nats-io/transport-node';
import { domainEvents, okReply, type ParticipantStatus } from '@sec-health/protocol';
import type { SecureTestNats } from '@sec-health/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { privateNats } from './support/private-nats.js';
import { send } from './support/samples.js';
import { directoryEntry, StandInServices } from './support/stand-in-services.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

// Sessions end as soon as the authority announces a revocation or a key rotation, even while the
// gateway's status cache would still vouch for them (issue #10 finding 1: "tokens issued before a
// rotation or revocation stop working").

let nats: SecureTestNats;
let standIn: StandInServices;
let gw: TestGateway;
let authority: NatsConnection;
const state = new Map<string, { status: ParticipantStatus; keyVersion: number }>();

beforeAll(async () => {
  nats = await privateNats();
  // A cache far longer than the test: only the event can end the session in time.
  gw = await startTestGateway(nats, { GATEWAY_ACTOR_STATUS_CACHE_MS: '600000' });
  standIn = await StandInServices.start(nats, gw.publicKey);
  standIn.status = ({ caller }) => {
    const actor = caller!.actor!;
    const now = state.get(actor.id) ?? { status: 'active', keyVersion: 1 };
    return okReply(
      directoryEntry(
        actor.id,
        actor.role,
        now.status,
        undefined,
        actor.organizationId,
        now.keyVersion,
      ),
    );
  };
  authority = await connect(nats.connectOptions('authority'));
});

afterAll(async () => {
  await authority?.close();
  await gw?.stop();
  await standIn?.stop();
  await nats?.stop();
});

async function untilRefused(token: string): Promise<number> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const result = await send(`${gw.baseUrl}/v1/auth/whoami`, 'GET', undefined, { token });
    if (result.status !== 200 || Date.now() > deadline) return result.status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('sessions and participant events', () => {
  it.each([
    [
      'a key rotation',
      (id: string) => {
        state.set(id, { status: 'active', keyVersion: 2 });
        authority.publish(
          domainEvents.participantKeysRotated.subject,
          JSON.stringify({ participantId: id, keyVersion: 2, at: new Date().toISOString() }),
        );
      },
    ],
    [
      'a revocation',
      (id: string) => {
        state.set(id, { status: 'revoked', keyVersion: 1 });
        authority.publish(
          domainEvents.participantRevoked.subject,
          JSON.stringify({ participantId: id, at: new Date().toISOString() }),
        );
      },
    ],
  ])('end at once on %s, despite the cache', async (_what, happen) => {
    const id = randomUUID();
    const token = await gw.token({ id, role: 'collaborator', organizationId: randomUUID() });
    const whoami = () => send(`${gw.baseUrl}/v1/auth/whoami`, 'GET', undefined, { token });
    expect((await whoami()).status).toBe(200);
    state.set(id, { status: 'revoked', keyVersion: 9 });
    // Cached: the change alone is not seen yet.
    expect((await whoami()).status).toBe(200);
    happen(id);
    expect(await untilRefused(token)).toBe(401);
  });

  it('ignores a malformed event, and keeps serving', async () => {
    const id = randomUUID();
    const token = await gw.token({ id, role: 'patient', organizationId: null });
    authority.publish(domainEvents.participantRevoked.subject, '{"participantId":"not-a-uuid"}');
    await authority.flush();
    expect((await send(`${gw.baseUrl}/v1/auth/whoami`, 'GET', undefined, { token })).status).toBe(
      200,
    );
  });
});
