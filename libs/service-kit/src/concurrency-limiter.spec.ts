import { describe, expect, it } from 'vitest';

import { ConcurrencyLimiter } from './concurrency-limiter.js';

describe('ConcurrencyLimiter', () => {
  it('runs at most maxConcurrent at once and hands slots to the queue in order', async () => {
    const limiter = new ConcurrencyLimiter('svc', 2, 10);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        limiter.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push(i);
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toHaveLength(6);
    expect(limiter.stats()).toMatchObject({ inFlight: 0, queued: 0, refused: 0 });
  });

  it('refuses with OVERLOADED when the queue is full, and when a queued request waits too long', async () => {
    const limiter = new ConcurrencyLimiter('svc', 1, 1, 50);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = limiter.run(() => gate);
    const queued = limiter.run(async () => 'late');
    await expect(limiter.run(async () => 'x')).rejects.toMatchObject({
      code: 'OVERLOADED',
      message: 'svc is at its limit of 1 concurrent requests; retry shortly',
    });
    await expect(queued).rejects.toMatchObject({ code: 'OVERLOADED' });
    release();
    await first;
    expect(limiter.stats()).toMatchObject({ inFlight: 0, queued: 0, refused: 2 });
    await expect(limiter.run(async () => 'again')).resolves.toBe('again');
  });

  it('frees the slot when the work throws', async () => {
    const limiter = new ConcurrencyLimiter('svc', 1, 0);
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    await expect(limiter.run(async () => 1)).resolves.toBe(1);
  });
});
