import { randomUUID } from 'node:crypto';

import { Challenge, isProtocolError } from '@sec-health/protocol';
import { describe, expect, it } from 'vitest';

import { CHALLENGE_TTL_MS, ChallengeStore } from './challenge-store.js';

const participant = randomUUID();

function rejects(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (error) {
    return isProtocolError(error, 'UNAUTHENTICATED');
  }
}

describe('ChallengeStore', () => {
  it('issues a challenge matching the protocol schema and hands its nonce out once', () => {
    const store = new ChallengeStore();
    const challenge = store.issue(participant);
    expect(Challenge.safeParse(challenge).success).toBe(true);
    expect(store.take(challenge.challengeId, participant)).toBe(challenge.nonce);
    expect(rejects(() => store.take(challenge.challengeId, participant))).toBe(true);
  });

  it('refuses another participant and spends the challenge doing so', () => {
    const store = new ChallengeStore();
    const { challengeId } = store.issue(participant);
    expect(rejects(() => store.take(challengeId, randomUUID()))).toBe(true);
    expect(rejects(() => store.take(challengeId, participant))).toBe(true);
  });

  it('expires after the TTL and forgets expired entries', () => {
    let now = 1_000_000;
    const store = new ChallengeStore(() => now);
    const { challengeId } = store.issue(participant);
    now += CHALLENGE_TTL_MS;
    expect(rejects(() => store.take(challengeId, participant))).toBe(true);
    store.issue(participant);
    now += CHALLENGE_TTL_MS + 1;
    store.issue(participant);
    expect(store.size).toBe(1);
  });
});
