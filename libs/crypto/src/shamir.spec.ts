import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { combine } from 'shamir-secret-sharing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { nodeBackend, portableBackend, useBackend, type CryptoBackend } from './backends.js';
import { toHex } from './bytes.js';
import { CryptoError, CryptoErrorCode, type CryptoErrorCode as Code } from './errors.js';
import {
  combineShares,
  majorityThreshold,
  shareCommitment,
  splitKey,
  verifyShare,
  type KeyShare,
  type ShareBinding,
  type SplitKeyResult,
} from './shamir.js';

const binding: ShareBinding = { recordId: 'record-7f3a', version: 3 };

async function rejection(action: () => unknown, code: Code): Promise<CryptoError> {
  let outcome: unknown;
  try {
    await action();
  } catch (error) {
    outcome = error;
  }
  expect(outcome, 'expected a CryptoError').toBeInstanceOf(CryptoError);
  expect((outcome as CryptoError).code).toBe(code);
  return outcome as CryptoError;
}

function flipBit(bytes: Uint8Array, position: number, bit: number): Uint8Array {
  const copy = bytes.slice();
  copy[position % copy.length]! ^= 1 << bit;
  return copy;
}

const byIndex = (a: number, b: number) => a - b;
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const key32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

/** n in 3..15 with t = majorityThreshold(n) or a random t in 2..n. */
const nAndT = fc.integer({ min: 3, max: 15 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    t: fc.oneof(fc.constant(majorityThreshold(n)), fc.integer({ min: 2, max: n })),
  }),
);

function pick(split: SplitKeyResult, indices: readonly number[]): KeyShare[] {
  return indices.map((i) => split.shares[i - 1]!);
}

describe.each([nodeBackend, portableBackend])('shamir on the $name backend', (chosen) => {
  let previous: CryptoBackend;
  beforeEach(() => {
    previous = useBackend(chosen);
  });
  afterEach(() => {
    useBackend(previous);
  });

  it('recovers the exact key from any subset of at least t shares, in any order', async () => {
    await fc.assert(
      fc.asyncProperty(
        nAndT.chain(({ n, t }) =>
          fc.record({
            n: fc.constant(n),
            t: fc.constant(t),
            key: key32,
            subset: fc.shuffledSubarray(range(n), { minLength: t }),
          }),
        ),
        async ({ n, t, key, subset }) => {
          const split = await splitKey(key, { shares: n, threshold: t }, binding);
          expect(split.shares.map((s) => s.index)).toEqual(range(n));
          expect(split.commitments).toHaveLength(n);
          expect(split.threshold).toBe(t);
          const result = await combineShares(pick(split, subset), {
            binding,
            commitments: split.commitments,
            threshold: t,
          });
          expect(result.key).toEqual(key);
          expect(result.used).toEqual([...subset].sort(byIndex).slice(0, t));
          expect(result.rejected).toEqual([]);
        },
      ),
    );
  });

  it('never yields the key from t-1 good shares, neither through combineShares nor the raw library', async () => {
    await fc.assert(
      fc.asyncProperty(
        nAndT.chain(({ n, t }) =>
          fc.record({
            n: fc.constant(n),
            t: fc.constant(t),
            key: key32,
            subset: fc.shuffledSubarray(range(n), { minLength: t - 1, maxLength: t - 1 }),
          }),
        ),
        async ({ n, t, key, subset }) => {
          const split = await splitKey(key, { shares: n, threshold: t }, binding);
          const given = pick(split, subset);
          const error = await rejection(
            () => combineShares(given, { binding, commitments: split.commitments, threshold: t }),
            CryptoErrorCode.InsufficientShares,
          );
          expect(error.message).toBe(`need ${t} good shares, have ${t - 1}`);
          expect(error.details).toEqual({ needed: t, good: t - 1, rejected: [] });

          let raw: Uint8Array | undefined;
          try {
            raw = await combine(given.map((s) => s.share));
          } catch {
            // The library refuses fewer than two shares (t = 2): that yields no key either.
            expect(given.length).toBeLessThan(2);
          }
          if (raw !== undefined) expect(toHex(raw)).not.toBe(toHex(key));
        },
      ),
    );
  });

  it('rejects a share with any single flipped bit by name, and still combines when t good shares remain', async () => {
    await fc.assert(
      fc.asyncProperty(
        nAndT.chain(({ n, t }) =>
          fc.record({
            n: fc.constant(n),
            t: fc.constant(t),
            key: key32,
            subset: fc.shuffledSubarray(range(n), { minLength: 1 }),
            victim: fc.nat(),
            position: fc.integer({ min: 0, max: 32 }),
            bit: fc.integer({ min: 0, max: 7 }),
          }),
        ),
        async ({ n, t, key, subset, victim, position, bit }) => {
          const split = await splitKey(key, { shares: n, threshold: t }, binding);
          const bad = subset[victim % subset.length]!;
          const given = pick(split, subset).map((s) =>
            s.index === bad ? { index: s.index, share: flipBit(s.share, position, bit) } : s,
          );
          const options = { binding, commitments: split.commitments, threshold: t };
          const good = subset.filter((i) => i !== bad).sort(byIndex);
          if (good.length >= t) {
            const result = await combineShares(given, options);
            expect(result.key).toEqual(key);
            expect(result.used).toEqual(good.slice(0, t));
            expect(result.rejected).toEqual([{ index: bad, reason: 'commitment-mismatch' }]);
          } else {
            const error = await rejection(
              () => combineShares(given, options),
              CryptoErrorCode.InsufficientShares,
            );
            expect(error.message).toBe(
              `need ${t} good shares, have ${good.length} (rejected: share ${bad}: commitment-mismatch)`,
            );
            expect(error.details).toEqual({
              needed: t,
              good: good.length,
              rejected: [`share ${bad}: commitment-mismatch`],
            });
          }
        },
      ),
    );
  });

  it('rejects the share whose commitment has a flipped bit', async () => {
    await fc.assert(
      fc.asyncProperty(
        nAndT.chain(({ n, t }) =>
          fc.record({
            n: fc.constant(n),
            t: fc.constant(t),
            key: key32,
            bad: fc.integer({ min: 1, max: n }),
            position: fc.integer({ min: 0, max: 31 }),
            bit: fc.integer({ min: 0, max: 7 }),
          }),
        ),
        async ({ n, t, key, bad, position, bit }) => {
          const split = await splitKey(key, { shares: n, threshold: t }, binding);
          const commitments = split.commitments.map((c, i) =>
            i === bad - 1 ? flipBit(c, position, bit) : c,
          );
          expect(verifyShare(binding, commitments, split.shares[bad - 1]!)).toBe(false);
          const options = { binding, commitments, threshold: t };
          if (n - 1 >= t) {
            const result = await combineShares(split.shares, options);
            expect(result.key).toEqual(key);
            expect(result.rejected).toEqual([{ index: bad, reason: 'commitment-mismatch' }]);
            expect(result.used).toEqual(
              range(n)
                .filter((i) => i !== bad)
                .slice(0, t),
            );
          } else {
            const error = await rejection(
              () => combineShares(split.shares, options),
              CryptoErrorCode.InsufficientShares,
            );
            expect(error.message).toBe(
              `need ${t} good shares, have ${n - 1} (rejected: share ${bad}: commitment-mismatch)`,
            );
          }
        },
      ),
    );
  });

  it.each([
    ['another record', { recordId: 'record-other', version: 3 }],
    ['another version of the same record', { recordId: 'record-7f3a', version: 4 }],
  ])('rejects every share of %s', async (_what, other: ShareBinding) => {
    const key = chosen.randomBytes(32);
    const split = await splitKey(key, { shares: 5, threshold: 3 }, other);
    const error = await rejection(
      () => combineShares(split.shares, { binding, commitments: split.commitments, threshold: 3 }),
      CryptoErrorCode.InsufficientShares,
    );
    const rejected = range(5).map((i) => `share ${i}: commitment-mismatch`);
    expect(error.details).toEqual({ needed: 3, good: 0, rejected });
    expect(error.message).toBe(`need 3 good shares, have 0 (rejected: ${rejected.join(', ')})`);
    for (const share of split.shares) {
      expect(verifyShare(binding, split.commitments, share)).toBe(false);
      expect(verifyShare(other, split.commitments, share)).toBe(true);
    }
  });

  it('rejects a share presented under another index, or from another split of the same key', async () => {
    const key = chosen.randomBytes(32);
    const split = await splitKey(key, { shares: 5, threshold: 3 }, binding);
    const resplit = await splitKey(key, { shares: 5, threshold: 3 }, binding);
    const swapped = { index: 1, share: split.shares[1]!.share };
    const foreign = resplit.shares[2]!;
    const result = await combineShares(
      [swapped, split.shares[1]!, foreign, ...split.shares.slice(3)],
      {
        binding,
        commitments: split.commitments,
        threshold: 3,
      },
    );
    expect(result.key).toEqual(key);
    expect(result.used).toEqual([2, 4, 5]);
    expect(result.rejected).toEqual([
      { index: 1, reason: 'commitment-mismatch' },
      { index: 3, reason: 'commitment-mismatch' },
    ]);
  });

  it('commits with the documented domain-separated, length-prefixed encoding', async () => {
    const split = await splitKey(chosen.randomBytes(32), { shares: 3, threshold: 2 }, binding);
    const share = split.shares[1]!;
    const recordId = new TextEncoder().encode(binding.recordId);
    const input = Buffer.concat([
      Buffer.from('sec-health/share-commitment/v1', 'utf8'),
      Buffer.from([0, 0, 0, recordId.length]),
      recordId,
      Buffer.from([0, 0, 0, 3]), // version
      Buffer.from([0, 2]), // index
      Buffer.from([0, 0, 0, 33]),
      share.share,
    ]);
    expect(toHex(shareCommitment(binding, share))).toBe(toHex(nobleSha256(input)));
    expect(toHex(split.commitments[1]!)).toBe(toHex(nobleSha256(input)));
    expect(verifyShare(binding, split.commitments, share)).toBe(true);
  });

  it('gives the same commitments on the other backend', async () => {
    const split = await splitKey(chosen.randomBytes(32), { shares: 4, threshold: 3 }, binding);
    const other = chosen === nodeBackend ? portableBackend : nodeBackend;
    useBackend(other);
    expect(split.shares.map((s) => toHex(shareCommitment(binding, s)))).toEqual(
      split.commitments.map(toHex),
    );
  });
});

describe('shamir details', () => {
  it('computes the majority threshold', () => {
    expect([2, 3, 4, 5, 6, 7, 15, 255].map(majorityThreshold)).toEqual([2, 2, 3, 3, 4, 4, 8, 128]);
  });

  it('accepts Buffer shares and leaves the caller key and shares intact', async () => {
    const key = portableBackend.randomBytes(32);
    const keyCopy = key.slice();
    const split = await splitKey(Buffer.from(key), { shares: 3, threshold: 2 }, binding);
    const copies = split.shares.map((s) => s.share.slice());
    const given = split.shares.map((s) => ({ index: s.index, share: Buffer.from(s.share) }));
    const result = await combineShares(given, {
      binding,
      commitments: split.commitments,
      threshold: 2,
    });
    expect(result.key).toEqual(keyCopy);
    expect(key).toEqual(keyCopy);
    expect(split.shares.map((s) => s.share)).toEqual(copies);
    expect(given.map((s) => new Uint8Array(s.share))).toEqual(copies);
  });

  it('verifies a genuine share and refuses malformed ones without throwing', async () => {
    const split = await splitKey(
      portableBackend.randomBytes(32),
      { shares: 3, threshold: 2 },
      binding,
    );
    const share = split.shares[0]!;
    const { commitments } = split;
    expect(verifyShare(binding, commitments, share)).toBe(true);
    expect(verifyShare(binding, commitments, { index: 4, share: share.share })).toBe(false);
    expect(verifyShare(binding, commitments, { index: 0, share: share.share })).toBe(false);
    expect(verifyShare(binding, commitments, { index: 1, share: share.share.subarray(1) })).toBe(
      false,
    );
    expect(
      verifyShare(binding, commitments, { index: 1, share: Array.from(share.share) as never }),
    ).toBe(false);
    expect(verifyShare(binding, commitments, null as never)).toBe(false);
  });

  it('names malformed shares and unknown indices in the result', async () => {
    const key = portableBackend.randomBytes(32);
    const split = await splitKey(key, { shares: 5, threshold: 3 }, binding);
    const [s1, s2, s3, s4, s5] = split.shares as [KeyShare, KeyShare, KeyShare, KeyShare, KeyShare];
    const result = await combineShares(
      [
        { index: 1, share: Array.from(s1.share) as never },
        { index: 2, share: s2.share.subarray(0, 32) },
        s3,
        s4,
        s5,
        { index: 6, share: s5.share },
        { index: 0, share: s5.share },
      ],
      { binding, commitments: split.commitments, threshold: 3 },
    );
    expect(result.key).toEqual(key);
    expect(result.used).toEqual([3, 4, 5]);
    expect(result.rejected).toEqual([
      { index: 0, reason: 'unknown-index' },
      { index: 1, reason: 'malformed' },
      { index: 2, reason: 'malformed' },
      { index: 6, reason: 'unknown-index' },
    ]);

    // Commitments for 4 shares only: share 5 has no commitment to match.
    const error = await rejection(
      () =>
        combineShares([s3, s4, s5], {
          binding,
          commitments: split.commitments.slice(0, 4),
          threshold: 3,
        }),
      CryptoErrorCode.InsufficientShares,
    );
    expect(error.message).toBe('need 3 good shares, have 2 (rejected: share 5: unknown-index)');
  });
});

describe('shamir bad input', () => {
  let split: SplitKeyResult;
  const key = portableBackend.randomBytes(32);
  beforeEach(async () => {
    split = await splitKey(key, { shares: 5, threshold: 3 }, binding);
  });
  const combineWith = (
    shares: readonly KeyShare[],
    overrides: Partial<{
      binding: ShareBinding;
      commitments: readonly Uint8Array[];
      threshold: number;
    }> = {},
  ) =>
    combineShares(shares, { binding, commitments: split.commitments, threshold: 3, ...overrides });

  const cases: [string, () => unknown, Code, string][] = [
    [
      'a 31-byte key',
      () => splitKey(new Uint8Array(31), { shares: 5, threshold: 3 }, binding),
      CryptoErrorCode.InvalidInput,
      'key: expected 32 bytes, got 31',
    ],
    [
      'a key that is not bytes',
      () => splitKey('k'.repeat(32) as never, { shares: 5, threshold: 3 }, binding),
      CryptoErrorCode.InvalidInput,
      'key: expected a Uint8Array, got string',
    ],
    [
      'one share',
      () => splitKey(key, { shares: 1, threshold: 2 }, binding),
      CryptoErrorCode.InvalidInput,
      'options.shares: must be between 2 and 255, got 1',
    ],
    [
      '256 shares',
      () => splitKey(key, { shares: 256, threshold: 2 }, binding),
      CryptoErrorCode.InvalidInput,
      'options.shares: must be between 2 and 255, got 256',
    ],
    [
      'a fractional share count',
      () => splitKey(key, { shares: 4.5, threshold: 2 }, binding),
      CryptoErrorCode.InvalidInput,
      'options.shares: expected an integer, got number',
    ],
    [
      'threshold 1',
      () => splitKey(key, { shares: 5, threshold: 1 }, binding),
      CryptoErrorCode.InvalidInput,
      'options.threshold: must be between 2 and 5, got 1',
    ],
    [
      'threshold above n',
      () => splitKey(key, { shares: 5, threshold: 6 }, binding),
      CryptoErrorCode.InvalidInput,
      'options.threshold: must be between 2 and 5, got 6',
    ],
    [
      'an empty recordId',
      () => splitKey(key, { shares: 5, threshold: 3 }, { recordId: '', version: 1 }),
      CryptoErrorCode.InvalidInput,
      'binding.recordId: must not be empty',
    ],
    [
      'a recordId over 256 characters',
      () => splitKey(key, { shares: 5, threshold: 3 }, { recordId: 'r'.repeat(257), version: 1 }),
      CryptoErrorCode.InvalidInput,
      'binding.recordId: longer than 256 characters',
    ],
    [
      'a recordId with a lone surrogate',
      () => splitKey(key, { shares: 5, threshold: 3 }, { recordId: 'r\uD800', version: 1 }),
      CryptoErrorCode.InvalidInput,
      'binding.recordId: contains a lone surrogate (not valid Unicode text)',
    ],
    [
      'version 0',
      () => splitKey(key, { shares: 5, threshold: 3 }, { recordId: 'r', version: 0 }),
      CryptoErrorCode.InvalidInput,
      'binding.version: must be between 1 and 4294967295, got 0',
    ],
    [
      'version 2^32',
      () => splitKey(key, { shares: 5, threshold: 3 }, { recordId: 'r', version: 2 ** 32 }),
      CryptoErrorCode.InvalidInput,
      'binding.version: must be between 1 and 4294967295, got 4294967296',
    ],
    [
      'majorityThreshold of 1',
      () => majorityThreshold(1),
      CryptoErrorCode.InvalidInput,
      'n: must be between 2 and 255, got 1',
    ],
    [
      'the same index twice',
      () => combineWith([split.shares[0]!, split.shares[1]!, split.shares[1]!, split.shares[2]!]),
      CryptoErrorCode.DuplicateShare,
      'share 2 was given more than once',
    ],
    [
      'the same index twice with different bytes',
      () => combineWith([split.shares[3]!, { index: 4, share: split.shares[4]!.share }]),
      CryptoErrorCode.DuplicateShare,
      'share 4 was given more than once',
    ],
    [
      'fewer than t shares',
      () => combineWith(split.shares.slice(0, 2)),
      CryptoErrorCode.InsufficientShares,
      'need 3 good shares, have 2',
    ],
    [
      'no shares',
      () => combineWith([]),
      CryptoErrorCode.InsufficientShares,
      'need 3 good shares, have 0',
    ],
    [
      'shares that are not an array',
      () => combineShares(split.shares[0] as never, { binding, commitments: [], threshold: 3 }),
      CryptoErrorCode.InvalidInput,
      'shares: expected an array of shares',
    ],
    [
      'a share entry that is not an object',
      () => combineWith([split.shares[0]!, null as never]),
      CryptoErrorCode.InvalidInput,
      'shares[1]: expected a { index, share } object',
    ],
    [
      'a fractional index',
      () => combineWith([{ index: 1.5, share: split.shares[0]!.share }]),
      CryptoErrorCode.InvalidInput,
      'shares[0].index: expected an integer',
    ],
    [
      'a single commitment',
      () => combineWith(split.shares, { commitments: split.commitments.slice(0, 1) }),
      CryptoErrorCode.InvalidInput,
      'options.commitments: expected one commitment per share, 2 to 255, got 1',
    ],
    [
      'fewer commitments than the threshold',
      () => combineWith(split.shares, { commitments: split.commitments.slice(0, 2) }),
      CryptoErrorCode.InvalidInput,
      'options.threshold: must be between 2 and 2, got 3',
    ],
    [
      'a 31-byte commitment',
      () =>
        combineWith(split.shares, {
          commitments: split.commitments.map((c, i) => (i === 2 ? c.subarray(1) : c)),
        }),
      CryptoErrorCode.InvalidInput,
      'options.commitments[2]: expected 32 bytes, got 31',
    ],
    [
      'a commitment that is not bytes',
      () =>
        combineWith(split.shares, {
          commitments: split.commitments.map((c, i) => (i === 0 ? (toHex(c) as never) : c)),
        }),
      CryptoErrorCode.InvalidInput,
      'options.commitments[0]: expected a Uint8Array, got string',
    ],
    [
      'a non-Uint8Array share when committing',
      () =>
        shareCommitment(binding, { index: 1, share: Array.from(split.shares[0]!.share) as never }),
      CryptoErrorCode.InvalidInput,
      'share.share: expected a Uint8Array, got an array',
    ],
    [
      'a short share when committing',
      () => shareCommitment(binding, { index: 1, share: new Uint8Array(32) }),
      CryptoErrorCode.InvalidInput,
      'share.share: expected 33 bytes, got 32',
    ],
    [
      'index 0 when committing',
      () => shareCommitment(binding, { index: 0, share: split.shares[0]!.share }),
      CryptoErrorCode.InvalidInput,
      'share.index: must be between 1 and 255, got 0',
    ],
    [
      'a bad binding when verifying',
      () => verifyShare({ recordId: 'r', version: -1 }, split.commitments, split.shares[0]!),
      CryptoErrorCode.InvalidInput,
      'binding.version: must be between 1 and 4294967295, got -1',
    ],
  ];

  it.each(cases)('refuses %s', async (_what, action, code, message) => {
    const error = await rejection(action, code);
    expect(error.message).toBe(message);
  });

  it('names malformed shares when too few good ones remain', async () => {
    const error = await rejection(
      () =>
        combineWith([
          { index: 1, share: Array.from(split.shares[0]!.share) as never },
          split.shares[1]!,
          split.shares[2]!,
        ]),
      CryptoErrorCode.InsufficientShares,
    );
    expect(error.message).toBe('need 3 good shares, have 2 (rejected: share 1: malformed)');
    expect(error.details).toEqual({ needed: 3, good: 2, rejected: ['share 1: malformed'] });
  });
});
