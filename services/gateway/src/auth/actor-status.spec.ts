import { randomUUID } from 'node:crypto';

import {
  isProtocolError,
  ProtocolError,
  type DirectoryEntry,
  type NatsContract,
} from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';
import { describe, expect, it } from 'vitest';

import type { ServiceClient } from '../nats/service-client.js';
import { ActorStatusCheck } from './actor-status.js';

const actor: Actor = { id: randomUUID(), role: 'attendant', organizationId: null, keyVersion: 3 };

function entry(
  status: DirectoryEntry['status'],
  role = actor.role,
  keyVersion = actor.keyVersion,
): DirectoryEntry {
  return {
    id: actor.id,
    role,
    kind: null,
    organizationId: null,
    status,
    keys: { signing: 'A'.repeat(43), encryption: 'B'.repeat(43) },
    keyVersion,
    participantRef: `0x${'ab'.repeat(32)}`,
    attestation: null,
  };
}

function client(answer: () => unknown): { services: ServiceClient; calls: () => number } {
  let calls = 0;
  // Like ServiceClient.call: the answer must match the contract's output, else 503.
  const services = {
    call: async (contract: NatsContract) => {
      calls++;
      const output = contract.output.safeParse(answer());
      if (!output.success) throw new ProtocolError('DEPENDENCY_UNAVAILABLE', 'malformed reply');
      return output.data;
    },
  } as unknown as ServiceClient;
  return { services, calls: () => calls };
}

async function outcome(check: ActorStatusCheck): Promise<string> {
  try {
    await check.assertActive(actor, 'r');
    return 'ok';
  } catch (error) {
    return isProtocolError(error) ? error.code : 'other';
  }
}

describe('ActorStatusCheck', () => {
  it('passes an active participant in its role, and caches the answer', async () => {
    let now = 0;
    const { services, calls } = client(() => entry('active'));
    const check = new ActorStatusCheck(services, 1_000, () => now);
    expect(await outcome(check)).toBe('ok');
    expect(await outcome(check)).toBe('ok');
    expect(calls()).toBe(1);
    now += 1_000;
    expect(await outcome(check)).toBe('ok');
    expect(calls()).toBe(2);
  });

  it.each([
    ['revoked', () => entry('revoked')],
    ['pending', () => entry('pending')],
    ['in another role', () => entry('active', 'authority')],
    ['whose keys were rotated since the login', () => entry('active', actor.role, 4)],
    [
      'unknown',
      () => {
        throw new ProtocolError('NOT_FOUND', 'no');
      },
    ],
  ])('refuses a participant %s as UNAUTHENTICATED', async (_name, answer) => {
    const check = new ActorStatusCheck(client(answer).services, 0);
    expect(await outcome(check)).toBe('UNAUTHENTICATED');
  });

  it('forgets what it cached about a participant when told (a revocation or rotation event)', async () => {
    let answer = entry('active');
    const { services, calls } = client(() => answer);
    const check = new ActorStatusCheck(services, 60_000);
    expect(await outcome(check)).toBe('ok');
    answer = entry('revoked');
    expect(await outcome(check)).toBe('ok');
    check.forget(randomUUID());
    expect(await outcome(check)).toBe('ok');
    check.forget(actor.id);
    expect(await outcome(check)).toBe('UNAUTHENTICATED');
    expect(calls()).toBe(2);
  });

  it('fails closed with 503 when the authority cannot say', async () => {
    const down = () => {
      throw new ProtocolError('DEPENDENCY_UNAVAILABLE', 'no responder');
    };
    expect(await outcome(new ActorStatusCheck(client(down).services, 0))).toBe(
      'DEPENDENCY_UNAVAILABLE',
    );
    const garbage = () => ({ status: 'active' });
    expect(await outcome(new ActorStatusCheck(client(garbage).services, 0))).toBe(
      'DEPENDENCY_UNAVAILABLE',
    );
  });
});
