import { fromHex } from './bytes.js';

/**
 * Byte-level checks of Ed25519 and X25519 encodings: no point decompression, so they cost well
 * under a microsecond and run on every verification. They follow libsodium's
 * `ge25519_is_canonical`, `ge25519_has_small_order` (the byte-list version it used until 2022) and its
 * X25519 `has_small_order` list; test/vectors/README.md names the sources, and the specs derive the
 * lists again from the curve with @noble/curves.
 *
 * An Ed25519 encoding is y (bits 0-254, little-endian) and the sign of x (bit 255). The points of
 * order dividing 8 (the whole torsion subgroup, since the group order is 8·L with L prime) have
 * y ∈ {1, p-1, 0, Y8, p-Y8} and both signs of x where x ≠ 0. An X25519 public key is u (bit 255
 * ignored, RFC 7748 section 5); u of a point of order dividing 8 on the curve or its twist is one of
 * {0, 1, p-1, U8, U8'}.
 */

const hex = (text: string) => fromHex('constant', text);

/** y (sign bit cleared) of every Ed25519 point of small order, including y ≥ p aliases of 0 and 1. */
const ED25519_SMALL_ORDER_Y: readonly Uint8Array[] = [
  '0000000000000000000000000000000000000000000000000000000000000000', // 0 (order 4)
  '0100000000000000000000000000000000000000000000000000000000000000', // 1 (order 1)
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p-1 (order 2)
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p (= 0, order 4)
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p+1 (= 1, order 1)
].map(hex);

/** u (bit 255 cleared) of every X25519 point of small order, including u ≥ p aliases of 0 and 1. */
const X25519_SMALL_ORDER_U: readonly Uint8Array[] = [
  '0000000000000000000000000000000000000000000000000000000000000000', // 0 (order 2)
  '0100000000000000000000000000000000000000000000000000000000000000', // 1 (order 4)
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800', // order 8
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157', // order 8
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p-1 (order 4, twist)
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p (= 0)
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p+1 (= 1)
].map(hex);

/** L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
const GROUP_ORDER = hex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');

/** True when the 32 bytes at `offset`, bit 255 ignored, equal one of `list`. */
function matchesIgnoringTopBit(
  bytes: Uint8Array,
  offset: number,
  list: readonly Uint8Array[],
): boolean {
  next: for (const entry of list) {
    for (let i = 0; i < 31; i++) if (bytes[offset + i] !== entry[i]) continue next;
    if (((bytes[offset + 31] as number) & 0x7f) === entry[31]) return true;
  }
  return false;
}

/** The 255-bit little-endian value at `offset` (bit 255 ignored) is p = 2^255 - 19 or more. */
function atLeastFieldPrime(bytes: Uint8Array, offset: number): boolean {
  if (((bytes[offset + 31] as number) & 0x7f) !== 0x7f) return false;
  for (let i = 30; i > 0; i--) if (bytes[offset + i] !== 0xff) return false;
  return (bytes[offset] as number) >= 0xed;
}

/**
 * RFC 8032 section 5.1.3 rejects y ≥ p, and x = 0 with the sign bit set (y = 1 or p-1). Whether y
 * is on the curve at all is not checked here.
 */
export function isCanonicalEd25519Encoding(bytes: Uint8Array, offset = 0): boolean {
  if (atLeastFieldPrime(bytes, offset)) return false;
  if (((bytes[offset + 31] as number) & 0x80) === 0) return true;
  return !matchesIgnoringTopBit(bytes, offset, [
    ED25519_SMALL_ORDER_Y[1]!,
    ED25519_SMALL_ORDER_Y[4]!,
  ]);
}

/** The encoding (canonical or not) decodes to one of the eight points of order dividing 8. */
export function hasSmallOrderEd25519Encoding(bytes: Uint8Array, offset = 0): boolean {
  return matchesIgnoringTopBit(bytes, offset, ED25519_SMALL_ORDER_Y);
}

/** Canonical and not of small order: what verification requires of A and of R. */
export function isStrictEd25519Encoding(bytes: Uint8Array, offset = 0): boolean {
  return !atLeastFieldPrime(bytes, offset) && !hasSmallOrderEd25519Encoding(bytes, offset);
}

/** The 32-byte little-endian scalar at `offset` is below the group order L (RFC 8032 5.1.7). */
export function isReducedEd25519Scalar(bytes: Uint8Array, offset = 0): boolean {
  for (let i = 31; i >= 0; i--) {
    const b = bytes[offset + i] as number;
    const l = GROUP_ORDER[i] as number;
    if (b !== l) return b < l;
  }
  return false;
}

/** u < p and bit 255 clear: the only encoding an X25519 implementation produces. */
export function isCanonicalX25519Encoding(bytes: Uint8Array): boolean {
  return ((bytes[31] as number) & 0x80) === 0 && !atLeastFieldPrime(bytes, 0);
}

/** Any encoding (bit 255 ignored, u ≥ p read mod p) of a point of order dividing 8 (curve or twist). */
export function hasSmallOrderX25519Encoding(bytes: Uint8Array): boolean {
  return matchesIgnoringTopBit(bytes, 0, X25519_SMALL_ORDER_U);
}
