// The byte lists of point-encodings.ts, derived again from the curves with @noble/curves and checked
// against the published lists (test/vectors/ed25519-small-order.json, x25519-low-order.json).
import { readFileSync } from 'node:fs';

import { ed25519, ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { fromHex, toHex } from './bytes.js';
import {
  hasSmallOrderEd25519Encoding,
  hasSmallOrderX25519Encoding,
  isCanonicalEd25519Encoding,
  isCanonicalX25519Encoding,
  isReducedEd25519Scalar,
  isStrictEd25519Encoding,
} from './point-encodings.js';

type EdPoint = ReturnType<typeof ed25519.Point.fromBytes>;

interface SmallOrderFile {
  readonly torsion: readonly { index: number; order: number; encoding: string }[];
  readonly nonCanonical: readonly { encoding: string; comment: string }[];
}
interface LowOrderFile {
  readonly points: readonly { name: string; u: string }[];
}

function vectors<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../test/vectors/${file}`, import.meta.url), 'utf8')) as T;
}

const { Point } = ed25519;
const { Fp } = Point;
const p = Fp.ORDER;
const L = Point.Fn.ORDER;
const le = (value: bigint) => numberToBytesLE(value, 32);
const small = vectors<SmallOrderFile>('ed25519-small-order.json');
const lowOrder = vectors<LowOrderFile>('x25519-low-order.json');

function decode(bytes: Uint8Array, zip215: boolean): EdPoint | undefined {
  try {
    return Point.fromBytes(bytes, zip215);
  } catch {
    return undefined;
  }
}

function times(point: EdPoint, k: number): EdPoint {
  let out = Point.ZERO;
  for (let i = 0; i < k; i++) out = out.add(point);
  return out;
}

function order(point: EdPoint): number {
  for (let k = 1; k <= 8; k++) if (times(point, k).is0()) return k;
  throw new Error('not of small order');
}

/** The 32-byte encoding of y with sign bit `sign`. */
function encodeY(y: bigint, sign: 0 | 1): Uint8Array {
  const bytes = le(y);
  bytes[31]! |= sign << 7;
  return bytes;
}

describe('Ed25519 small-order encodings', () => {
  const torsion = small.torsion.map((t) => ({
    ...t,
    point: Point.fromBytes(fromHex('t', t.encoding)),
  }));

  it('the eight published encodings are [i]P for a point P of order 8, each of the stated order', () => {
    expect(torsion.map((t) => t.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const generator = torsion[1]!.point;
    for (const t of torsion) {
      expect(t.point.isSmallOrder(), t.encoding).toBe(true);
      expect(toHex(t.point.toBytes())).toBe(t.encoding);
      expect(times(generator, t.index).equals(t.point), `[${t.index}]P`).toBe(true);
      expect(order(t.point)).toBe(t.order);
    }
  });

  it('they are eight distinct points closed under addition: the whole torsion subgroup E[8]', () => {
    // |E(F_p)| = 8·L with L prime, so every point of order dividing 8 lies in this subgroup.
    const encodings = new Set(torsion.map((t) => t.encoding));
    expect(encodings.size).toBe(8);
    for (const a of torsion) {
      for (const b of torsion)
        expect(encodings.has(toHex(a.point.add(b.point).toBytes()))).toBe(true);
    }
  });

  it('the same subgroup comes out of the curve: the torsion component [L]Q of a point Q of order 8L', () => {
    let component: EdPoint | undefined;
    for (let i = 0; !component; i++) {
      const candidate = sha512(Uint8Array.of(i)).slice(0, 32);
      candidate[31]! &= 0x7f;
      const q = decode(candidate, false);
      if (!q) continue;
      const t = q.multiplyUnsafe(L - 1n).add(q); // [L]Q
      if (!t.double().double().is0()) component = t; // order 8
    }
    const derived = new Set(
      [0, 1, 2, 3, 4, 5, 6, 7].map((k) => toHex(times(component, k).toBytes())),
    );
    expect(derived).toEqual(new Set(small.torsion.map((t) => t.encoding)));
    expect(new Set(ED25519_TORSION_SUBGROUP)).toEqual(derived);
  });

  it('the six published non-canonical encodings decode (leniently) to torsion points, never strictly', () => {
    const encodings = new Set(small.torsion.map((t) => t.encoding));
    expect(small.nonCanonical).toHaveLength(6);
    for (const { encoding } of small.nonCanonical) {
      const bytes = fromHex('t', encoding);
      const point = decode(bytes, true);
      expect(point, encoding).toBeDefined();
      expect(encodings.has(toHex(point!.toBytes()))).toBe(true);
      expect(decode(bytes, false)).toBeUndefined();
    }
  });

  it('the byte checks classify all fourteen: small order; canonical exactly for the eight', () => {
    for (const { encoding } of small.torsion) {
      const bytes = fromHex('t', encoding);
      expect(hasSmallOrderEd25519Encoding(bytes), encoding).toBe(true);
      expect(isCanonicalEd25519Encoding(bytes), encoding).toBe(true);
      expect(isStrictEd25519Encoding(bytes), encoding).toBe(false);
    }
    for (const { encoding } of small.nonCanonical) {
      const bytes = fromHex('t', encoding);
      expect(hasSmallOrderEd25519Encoding(bytes), encoding).toBe(true);
      expect(isCanonicalEd25519Encoding(bytes), encoding).toBe(false);
      expect(isStrictEd25519Encoding(bytes), encoding).toBe(false);
    }
  });

  /** What noble says of an encoding, for comparison with the byte checks. */
  function agreesWithNoble(bytes: Uint8Array): void {
    const lenient = decode(bytes, true);
    const strict = decode(bytes, false);
    const label = toHex(bytes);
    expect(hasSmallOrderEd25519Encoding(bytes), label).toBe(lenient?.isSmallOrder() ?? false);
    if (lenient) {
      expect(isCanonicalEd25519Encoding(bytes), label).toBe(strict !== undefined);
      expect(isStrictEd25519Encoding(bytes), label).toBe(
        strict !== undefined && !strict.isSmallOrder(),
      );
    } else {
      // Not on the curve: only the range of y is checked here; the backends refuse the point.
      const y = bytesToNumberLE(bytes) & ((1n << 255n) - 1n);
      expect(isCanonicalEd25519Encoding(bytes), label).toBe(y < p);
    }
  }

  it('agree with noble on every y near 0, p, 2^255 and the torsion y values, both signs', () => {
    const ys = new Set<bigint>();
    const around = (centre: bigint) => {
      for (let d = -24n; d <= 24n; d++) {
        const y = centre + d;
        if (y >= 0n && y < 1n << 255n) ys.add(y);
      }
    };
    around(0n);
    around(p);
    around(1n << 255n);
    for (const t of torsion) around(t.point.toAffine().y);
    for (const y of ys) for (const sign of [0, 1] as const) agreesWithNoble(encodeY(y, sign));
  });

  it('agree with noble on random encodings and on real public keys', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), agreesWithNoble), {
      numRuns: 300,
    });
    for (let i = 0; i < 20; i++) {
      const key = ed25519.getPublicKey(ed25519.utils.randomSecretKey());
      expect(isStrictEd25519Encoding(key)).toBe(true);
      agreesWithNoble(key);
    }
  });

  it('read the encoding at an offset (R inside a signature)', () => {
    const signature = new Uint8Array(64).fill(0x55);
    signature.set(fromHex('t', small.torsion[0]!.encoding), 0);
    expect(isStrictEd25519Encoding(signature, 0)).toBe(false);
    expect(hasSmallOrderEd25519Encoding(signature.subarray(32))).toBe(false);
    signature.set(fromHex('t', small.torsion[0]!.encoding), 32);
    expect(hasSmallOrderEd25519Encoding(signature, 32)).toBe(true);
  });
});

describe('Ed25519 scalar range (S < L)', () => {
  it('agrees with a bigint comparison at the edges and on random values', () => {
    const edges = [0n, 1n, L - 1n, L, L + 1n, 2n * L, 1n << 253n, (1n << 256n) - 1n];
    const check = (s: bigint) => {
      expect(isReducedEd25519Scalar(le(s)), s.toString()).toBe(s < L);
    };
    edges.forEach(check);
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), check), { numRuns: 500 });
    fc.assert(fc.property(fc.bigInt({ min: L - 1000n, max: L + 1000n }), check), { numRuns: 500 });
  });
});

describe('X25519 small-order u-coordinates', () => {
  const A = 486662n;
  /** x-only doubling on v² = u³ + Au² + u, the same formula on the curve and its twist; undefined is ∞. */
  function double(u: bigint): bigint | undefined {
    const denominator = Fp.mul(4n, Fp.mul(u, Fp.add(Fp.add(Fp.sqr(u), Fp.mul(A, u)), 1n)));
    if (Fp.is0(denominator)) return undefined;
    return Fp.div(Fp.sqr(Fp.sub(Fp.sqr(u), 1n)), denominator);
  }

  /**
   * Curve: the u = (1 + y) / (1 - y) of the eight Edwards torsion points (the identity maps to the
   * point at infinity). Twist: its order 2(p + 1) - 8L is 4·odd, so its points of order dividing
   * 8 have order dividing 4, and [4]P = ∞ means double(double(u)) = ∞: double(u) = ∞ only for
   * u = 0 (A² - 4 is not a square), double(u) = 0 only for u = ±1.
   */
  function derivedSmallOrderU(): Set<bigint> {
    const us = new Set<bigint>();
    for (const t of small.torsion) {
      const { y } = Point.fromBytes(fromHex('t', t.encoding)).toAffine();
      if (y !== 1n) us.add(Fp.div(Fp.add(1n, y), Fp.sub(1n, y)));
    }
    const twistOrder = 2n * (p + 1n) - 8n * L;
    expect(twistOrder % 4n).toBe(0n);
    expect((twistOrder / 4n) % 2n).toBe(1n);
    expect(Fp.pow(Fp.sub(Fp.sqr(A), 4n), (p - 1n) / 2n)).toBe(p - 1n);
    for (const u of [0n, 1n, p - 1n]) us.add(u);
    return us;
  }

  it('the derived u values all have order dividing 8 and are the published list, bit 255 either way', () => {
    const derived = derivedSmallOrderU();
    expect(derived.size).toBe(5);
    for (const u of derived) {
      let x: bigint | undefined = u;
      for (let i = 0; i < 3 && x !== undefined; i++) x = double(x);
      expect(x, `u = ${u}`).toBeUndefined();
    }
    // Encodings whose value below 2^255 is one of them mod p: u itself, and u + p when u < 19.
    const values = [
      ...derived,
      ...[...derived].filter((u) => u + p < 1n << 255n).map((u) => u + p),
    ];
    const encodings = values.flatMap((v) => [toHex(le(v)), toHex(le(v + (1n << 255n)))]);
    expect(new Set(encodings)).toEqual(new Set(lowOrder.points.map((pt) => pt.u)));
    expect(lowOrder.points).toHaveLength(14);
  });

  it('hasSmallOrderX25519Encoding is true exactly for the fourteen encodings', () => {
    const listed = new Set(lowOrder.points.map((pt) => pt.u));
    for (const { u } of lowOrder.points) {
      expect(hasSmallOrderX25519Encoding(fromHex('u', u)), u).toBe(true);
      // Neighbours of each (u ± 1, one bit flipped in the middle) are not small-order encodings.
      const value = bytesToNumberLE(fromHex('u', u));
      for (const other of [value + 1n, value - 1n, value ^ (1n << 128n)]) {
        if (other < 0n || other >= 1n << 256n || listed.has(toHex(le(other)))) continue;
        expect(hasSmallOrderX25519Encoding(le(other)), toHex(le(other))).toBe(false);
      }
    }
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        expect(hasSmallOrderX25519Encoding(bytes)).toBe(listed.has(toHex(bytes)));
      }),
      { numRuns: 300 },
    );
  });

  it('isCanonicalX25519Encoding: u < p with bit 255 clear', () => {
    for (const [u, canonical] of [
      [0n, true],
      [9n, true],
      [p - 1n, true],
      [p, false],
      [p + 9n, false],
      [(1n << 255n) - 1n, false],
      [9n + (1n << 255n), false],
    ] as const) {
      expect(isCanonicalX25519Encoding(le(u)), u.toString()).toBe(canonical);
    }
  });
});
