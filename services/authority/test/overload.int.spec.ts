import { healthContract, natsContracts as c, type Health, type Reply } from '@sec-health/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { setupAuthorityEnv, type AuthorityEnv } from './authority-env.js';
import { code, data } from './steps.js';

// Issue #10 finding 4: a flood degraded the service until /health failed. With a small bound on
// concurrent and queued work, a flood is answered at once with a typed OVERLOADED for what does
// not fit, nothing waits for a timeout, and /health keeps answering, telling the truth.

const MAX_CONCURRENT = 2;
const MAX_QUEUED = 2;
let env: AuthorityEnv;

beforeAll(async () => {
  env = await setupAuthorityEnv({
    MAX_CONCURRENT_REQUESTS: String(MAX_CONCURRENT),
    MAX_QUEUED_REQUESTS: String(MAX_QUEUED),
  });
}, 180_000);

afterAll(async () => {
  await env?.close();
});

describe('a flood of requests', () => {
  it('gets OVERLOADED for what exceeds the bound, answers the rest, and /health answers throughout', async () => {
    const lookup = () => env.request(c.participantSearch.subject, { limit: 100 }, env.admin);
    const flood = Array.from({ length: 200 }, lookup);
    const health = env.request<Health>(healthContract('authority').subject, {});
    const replies = await Promise.all(flood);
    const codes = replies.map(code);
    expect(codes.filter((c) => c === undefined).length).toBeGreaterThanOrEqual(
      MAX_CONCURRENT + MAX_QUEUED,
    );
    expect(codes.filter((c) => c === 'OVERLOADED').length).toBeGreaterThan(0);
    expect(codes.filter((c) => c !== undefined && c !== 'OVERLOADED')).toEqual([]);
    const overloaded = replies.find((r) => code(r) === 'OVERLOADED') as Extract<
      Reply<unknown>,
      { ok: false }
    >;
    expect(overloaded.error).toMatchObject({
      message: `authority is at its limit of ${MAX_CONCURRENT} concurrent requests; retry shortly`,
      details: { retryAfterSeconds: 1 },
    });
    expect(data(await health).service).toBe('authority');
    // And it serves again once the flood is over.
    expect(code(await lookup())).toBeUndefined();
  });
});
