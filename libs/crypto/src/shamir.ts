import { combine, split } from 'shamir-secret-sharing';

import { backend } from './backend/active.js';
import {
  assertBytes,
  assertInteger,
  assertString,
  concatBytes,
  constantTimeEqual,
  lengthPrefixed,
  uint,
  utf8,
  zeroize,
} from './bytes.js';
import { CryptoError, CryptoErrorCode, invalidInput } from './errors.js';
import { DATA_KEY_LENGTH } from './random.js';
import { assertWellFormedText } from './unicode.js';

/** The record version a set of shares belongs to; every commitment is bound to it. */
export interface ShareBinding {
  readonly recordId: string;
  readonly version: number;
}

export interface KeyShare {
  /** 1..n: the index of the emergency server that holds this share. */
  readonly index: number;
  /** The `shamir-secret-sharing` share: key length + 1 bytes (its last byte is the x coordinate). */
  readonly share: Uint8Array;
}

export interface SplitKeyResult {
  readonly shares: KeyShare[];
  /** `commitments[i - 1]` is the commitment of the share with index `i`. */
  readonly commitments: Uint8Array[];
  readonly threshold: number;
}

export interface RejectedShare {
  readonly index: number;
  readonly reason: 'commitment-mismatch' | 'malformed' | 'unknown-index';
}

export interface CombineResult {
  readonly key: Uint8Array;
  /** Indices of the shares combined, ascending: exactly `threshold` of them. */
  readonly used: number[];
  /** Shares that were checked and left out, ascending by index, with the reason. */
  readonly rejected: RejectedShare[];
}

const KEY_LENGTH = DATA_KEY_LENGTH;
const SHARE_LENGTH = KEY_LENGTH + 1;
const COMMITMENT_LENGTH = 32;
const MIN_SHARES = 2;
const MAX_SHARES = 255;
const RECORD_ID_MAX_LENGTH = 256;
const VERSION_MAX = 2 ** 32 - 1;
const COMMITMENT_DOMAIN = utf8('sec-health/share-commitment/v1');

/** The smallest majority of `n` servers: floor(n / 2) + 1. */
export function majorityThreshold(n: number): number {
  assertInteger('n', n, MIN_SHARES, MAX_SHARES);
  return Math.floor(n / 2) + 1;
}

/**
 * Splits a 32-byte data key into `options.shares` shares, any `options.threshold` of which recover
 * it (DESIGN.md section 5), and commits to each share. Share `i` goes to emergency server `i`; the
 * author publishes `commitments` in the signed record metadata.
 */
export async function splitKey(
  key: Uint8Array,
  options: { shares: number; threshold: number },
  binding: ShareBinding,
): Promise<SplitKeyResult> {
  assertBytes('key', key, KEY_LENGTH);
  assertOptionsObject(options);
  const { shares: n, threshold } = options;
  assertInteger('options.shares', n, MIN_SHARES, MAX_SHARES);
  assertInteger('options.threshold', threshold, MIN_SHARES, n);
  assertBinding(binding);

  // The library accepts only a plain Uint8Array (not a Buffer or a subclass): split a private copy.
  const secret = new Uint8Array(key);
  let raw: Uint8Array[];
  try {
    raw = await split(secret, n, threshold);
  } finally {
    zeroize(secret);
  }
  const shares = raw.map((share, i): KeyShare => ({ index: i + 1, share }));
  const commitments = shares.map((share) => commitmentOf(binding, share.index, share.share));
  return { shares, commitments, threshold };
}

/**
 * The commitment to one share (32 bytes):
 *
 *   SHA-256( utf8("sec-health/share-commitment/v1")   domain separation, fixed length
 *          ‖ u32be(len(recordId)) ‖ utf8(recordId)
 *          ‖ u32be(version)
 *          ‖ u16be(index)
 *          ‖ u32be(len(share)) ‖ share )
 *
 * Every variable-length field is length-prefixed and every integer has a fixed width, so no two
 * different (recordId, version, index, share) tuples hash the same input. The binding makes a share
 * of another record, another version or another server index fail its commitment.
 */
export function shareCommitment(binding: ShareBinding, share: KeyShare): Uint8Array {
  assertBinding(binding);
  if (typeof share !== 'object' || share === null) {
    throw invalidInput('share', 'expected a { index, share } object');
  }
  assertInteger('share.index', share.index, 1, MAX_SHARES);
  assertBytes('share.share', share.share, SHARE_LENGTH);
  return commitmentOf(binding, share.index, share.share);
}

/**
 * Whether `share` matches its commitment `commitments[share.index - 1]` (constant-time compare).
 * A share with an index outside 1..commitments.length or bytes of the wrong type or length is not
 * valid: false. Throws CryptoError(InvalidInput) for a bad binding or commitment list.
 */
export function verifyShare(
  binding: ShareBinding,
  commitments: readonly Uint8Array[],
  share: KeyShare,
): boolean {
  assertBinding(binding);
  assertCommitments('commitments', commitments);
  if (typeof share !== 'object' || share === null) return false;
  return checkShare(binding, commitments, share.index, share.share) === undefined;
}

/**
 * Checks every share against its commitment and recovers the key from exactly `threshold` good
 * shares (the lowest indices). Shares are from possibly faulty servers, so a bad one is rejected and
 * named, not thrown. Throws CryptoError: DuplicateShare when an index appears twice,
 * InsufficientShares when fewer than `threshold` good shares remain, InvalidInput for bad options
 * or a share entry without an integer index.
 */
export async function combineShares(
  shares: readonly KeyShare[],
  options: { binding: ShareBinding; commitments: readonly Uint8Array[]; threshold: number },
): Promise<CombineResult> {
  // Checked through an `unknown` alias: narrowing `shares` itself would turn it into any[].
  const given: unknown = shares;
  if (!Array.isArray(given)) throw invalidInput('shares', 'expected an array of shares');
  assertOptionsObject(options);
  const { binding, commitments, threshold } = options;
  assertBinding(binding, 'options.binding');
  assertCommitments('options.commitments', commitments);
  assertInteger('options.threshold', threshold, MIN_SHARES, commitments.length);

  const seen = new Set<number>();
  shares.forEach((entry: unknown, position) => {
    if (typeof entry !== 'object' || entry === null) {
      throw invalidInput(`shares[${position}]`, 'expected a { index, share } object');
    }
    const index = (entry as { index?: unknown }).index;
    if (typeof index !== 'number' || !Number.isSafeInteger(index)) {
      throw invalidInput(`shares[${position}].index`, 'expected an integer');
    }
    if (seen.has(index)) {
      throw new CryptoError(
        CryptoErrorCode.DuplicateShare,
        `share ${index} was given more than once`,
        { index },
      );
    }
    seen.add(index);
  });

  const good: KeyShare[] = [];
  const rejected: RejectedShare[] = [];
  for (const share of shares) {
    const reason = checkShare(binding, commitments, share.index, share.share);
    if (reason === undefined) good.push(share);
    else rejected.push({ index: share.index, reason });
  }
  const byIndex = (a: { index: number }, b: { index: number }) => a.index - b.index;
  good.sort(byIndex);
  rejected.sort(byIndex);

  if (good.length < threshold) {
    const named = rejected.map((r) => `share ${r.index}: ${r.reason}`);
    throw new CryptoError(
      CryptoErrorCode.InsufficientShares,
      `need ${threshold} good shares, have ${good.length}` +
        (named.length > 0 ? ` (rejected: ${named.join(', ')})` : ''),
      { needed: threshold, good: good.length, rejected: named },
    );
  }

  const chosen = good.slice(0, threshold);
  assertDistinctCoordinates(chosen);
  // Private plain copies: the library rejects Buffer, and the copies are ours to wipe.
  const copies = chosen.map((share) => new Uint8Array(share.share));
  try {
    const key = await combine(copies);
    return { key, used: chosen.map((share) => share.index), rejected };
  } finally {
    zeroize(...copies);
  }
}

function commitmentOf(binding: ShareBinding, index: number, share: Uint8Array): Uint8Array {
  const input = concatBytes(
    COMMITMENT_DOMAIN,
    lengthPrefixed(utf8(binding.recordId)),
    uint(binding.version, 4),
    uint(index, 2),
    uint(share.length, 4), // = lengthPrefixed(share), without an extra copy of the share to wipe
    share,
  );
  try {
    return backend().sha256(input);
  } finally {
    zeroize(input);
  }
}

/** Why a share is not good, or undefined when it matches its commitment. */
function checkShare(
  binding: ShareBinding,
  commitments: readonly Uint8Array[],
  index: unknown,
  share: unknown,
): RejectedShare['reason'] | undefined {
  if (
    typeof index !== 'number' ||
    !Number.isSafeInteger(index) ||
    index < 1 ||
    index > commitments.length
  ) {
    return 'unknown-index';
  }
  if (!(share instanceof Uint8Array) || share.length !== SHARE_LENGTH) return 'malformed';
  const expected = commitments[index - 1] as Uint8Array;
  return constantTimeEqual(commitmentOf(binding, index, share), expected)
    ? undefined
    : 'commitment-mismatch';
}

/**
 * Shares that match the author's commitments come from one split, whose x coordinates are distinct.
 * Two equal ones mean the author committed to a duplicated share; the library would throw an
 * untyped error, so report it as the duplicate it is.
 */
function assertDistinctCoordinates(shares: readonly KeyShare[]): void {
  const owner = new Map<number, number>();
  for (const { index, share } of shares) {
    const x = share[SHARE_LENGTH - 1] as number;
    const other = owner.get(x);
    if (other !== undefined) {
      throw new CryptoError(
        CryptoErrorCode.DuplicateShare,
        `shares ${other} and ${index} are the same share point (the author committed to a duplicate)`,
        { index, duplicateOf: other },
      );
    }
    owner.set(x, index);
  }
}

function assertBinding(binding: ShareBinding, parameter = 'binding'): void {
  if (typeof binding !== 'object' || binding === null) {
    throw invalidInput(parameter, 'expected a { recordId, version } object');
  }
  assertString(`${parameter}.recordId`, binding.recordId, RECORD_ID_MAX_LENGTH);
  assertWellFormedText(`${parameter}.recordId`, binding.recordId);
  assertInteger(`${parameter}.version`, binding.version, 1, VERSION_MAX);
}

function assertCommitments(parameter: string, commitments: readonly Uint8Array[]): void {
  if (!Array.isArray(commitments))
    throw invalidInput(parameter, 'expected an array of commitments');
  if (commitments.length < MIN_SHARES || commitments.length > MAX_SHARES) {
    throw invalidInput(
      parameter,
      `expected one commitment per share, ${MIN_SHARES} to ${MAX_SHARES}, got ${commitments.length}`,
    );
  }
  commitments.forEach((commitment: unknown, i) =>
    assertBytes(`${parameter}[${i}]`, commitment, COMMITMENT_LENGTH),
  );
}

function assertOptionsObject(options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw invalidInput('options', 'expected an options object');
  }
}
