import { readFileSync } from 'node:fs';

import { ed25519 } from '@noble/curves/ed25519.js';
import { numberToBytesLE } from '@noble/curves/utils.js';
import { describe, expect, it } from 'vitest';

import { nodeBackend, portableBackend } from './backends.js';
import { fromHex, toBase64Url, toHex } from './bytes.js';
import { CryptoError, CryptoErrorCode, type WeakKeyReason } from './errors.js';
import {
  assertEncryptionPublicKey,
  assertSigningPublicKey,
  decodeEncryptionPublicKey,
  decodeSigningPublicKey,
} from './public-keys.js';
import { thrown } from '../test/support.js';

interface SmallOrderFile {
  readonly torsion: readonly { encoding: string }[];
  readonly nonCanonical: readonly { encoding: string }[];
}
interface LowOrderFile {
  readonly points: readonly { name: string; u: string }[];
}
function vectors<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../test/vectors/${file}`, import.meta.url), 'utf8')) as T;
}

const p = ed25519.Point.Fp.ORDER;
const le = (value: bigint) => numberToBytesLE(value, 32);
const small = vectors<SmallOrderFile>('ed25519-small-order.json');
const ED25519_SMALL_ORDER = [...small.torsion, ...small.nonCanonical].map((t) => t.encoding);
const X25519_LOW_ORDER = vectors<LowOrderFile>('x25519-low-order.json').points;

function expectWeak(f: () => unknown, parameter: string, reason: WeakKeyReason): CryptoError {
  const error = thrown(f);
  expect(error.code).toBe(CryptoErrorCode.WeakKey);
  expect(error.details).toEqual({ parameter, reason });
  expect(error.message.startsWith(`${parameter}: `)).toBe(true);
  return error;
}

/** y values near p (y = p + k, k < 19) that decode leniently: non-canonical but not small-order. */
function nonCanonicalOnCurve(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let k = 2n; k < 19n; k++) {
    const bytes = le(p + k);
    try {
      ed25519.Point.fromBytes(bytes, true);
      out.push(bytes);
    } catch {
      // y = k is not on the curve
    }
  }
  return out;
}

describe('assertSigningPublicKey', () => {
  it('accepts keys from both backends and the RFC 8032 test keys', () => {
    for (const b of [nodeBackend, portableBackend]) {
      for (let i = 0; i < 20; i++) {
        const key = b.ed25519PublicKey(b.randomBytes(32));
        expect(() => assertSigningPublicKey('publicKey', key)).not.toThrow();
      }
    }
    const rfc = JSON.parse(
      readFileSync(new URL('../test/vectors/rfc8032-ed25519.json', import.meta.url), 'utf8'),
    ) as { tests: { publicKey: string }[] };
    for (const t of rfc.tests) {
      expect(() => assertSigningPublicKey('publicKey', fromHex('k', t.publicKey))).not.toThrow();
    }
  });

  it.each(ED25519_SMALL_ORDER)('refuses the small-order encoding %s', (encoding) => {
    const error = expectWeak(
      () => assertSigningPublicKey('signingPublicKey', fromHex('k', encoding)),
      'signingPublicKey',
      'small-order',
    );
    expect(error.message).toBe(
      'signingPublicKey: is an Ed25519 point of small order, for which anyone can forge signatures; generate a new signing key pair',
    );
  });

  it('refuses non-canonical encodings (y >= p) of points that are not of small order', () => {
    const keys = nonCanonicalOnCurve();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      for (const sign of [0, 0x80]) {
        key[31] = (key[31]! & 0x7f) | sign;
        expectWeak(() => assertSigningPublicKey('publicKey', key), 'publicKey', 'non-canonical');
      }
    }
  });

  it('refuses a canonical encoding that is not a point on the curve', () => {
    let y = 2n;
    while (isOnCurve(le(y))) y++;
    expectWeak(() => assertSigningPublicKey('publicKey', le(y)), 'publicKey', 'not-on-curve');
  });

  it('refuses a key with a small-order component (not in the prime-order subgroup)', () => {
    const honest = ed25519.Point.fromBytes(
      nodeBackend.ed25519PublicKey(nodeBackend.randomBytes(32)),
    );
    for (const { encoding } of small.torsion.slice(1)) {
      const mixed = honest.add(ed25519.Point.fromBytes(fromHex('t', encoding))).toBytes();
      expectWeak(() => assertSigningPublicKey('publicKey', mixed), 'publicKey', 'not-in-subgroup');
    }
    // "Taming the many EdDSAs" case 3: a mixed-order key with a signature that verifies.
    const speccheckKey = fromHex(
      'k',
      'cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d',
    );
    expectWeak(
      () => assertSigningPublicKey('publicKey', speccheckKey),
      'publicKey',
      'not-in-subgroup',
    );
  });

  it('refuses the wrong type or length with InvalidInput', () => {
    for (const [value, message] of [
      [new Uint8Array(31), 'publicKey: expected 32 bytes, got 31'],
      ['AQAA', 'publicKey: expected a Uint8Array, got string'],
      [undefined, 'publicKey: expected a Uint8Array, got undefined'],
    ] as const) {
      const error = thrown(() => assertSigningPublicKey('publicKey', value));
      expect(error.code).toBe(CryptoErrorCode.InvalidInput);
      expect(error.message).toBe(message);
    }
  });
});

function isOnCurve(bytes: Uint8Array): boolean {
  try {
    ed25519.Point.fromBytes(bytes, true);
    return true;
  } catch {
    return false;
  }
}

describe('assertEncryptionPublicKey', () => {
  it('accepts keys from both backends, and points on the twist', () => {
    for (const b of [nodeBackend, portableBackend]) {
      for (let i = 0; i < 20; i++) {
        const key = b.x25519PublicKey(b.randomBytes(32));
        expect(() => assertEncryptionPublicKey('publicKey', key)).not.toThrow();
      }
    }
    // u = 2 is on the twist (Wycheproof flags u = p + 2 "Twist"); X25519 is defined for it.
    expect(() => assertEncryptionPublicKey('publicKey', le(2n))).not.toThrow();
  });

  it.each(X25519_LOW_ORDER)('refuses the small-order u = $name', ({ u }) => {
    const error = expectWeak(
      () => assertEncryptionPublicKey('encryptionPublicKey', fromHex('u', u)),
      'encryptionPublicKey',
      'small-order',
    );
    expect(error.message).toBe(
      'encryptionPublicKey: is an X25519 point of small order, for which every shared secret is zero; generate a new encryption key pair',
    );
  });

  it('refuses non-canonical encodings: bit 255 set, or u >= p', () => {
    const key = nodeBackend.x25519PublicKey(nodeBackend.randomBytes(32));
    key[31]! |= 0x80;
    for (const u of [key, le(p + 2n), le(p + 18n), le((1n << 255n) - 1n)]) {
      expectWeak(() => assertEncryptionPublicKey('publicKey', u), 'publicKey', 'non-canonical');
    }
  });

  it('refuses the wrong type or length with InvalidInput', () => {
    const error = thrown(() => assertEncryptionPublicKey('publicKey', new Uint8Array(33)));
    expect(error.code).toBe(CryptoErrorCode.InvalidInput);
    expect(error.message).toBe('publicKey: expected 32 bytes, got 33');
  });
});

describe('decodeSigningPublicKey and decodeEncryptionPublicKey', () => {
  it('decode the base64url of a good key to its bytes', () => {
    const signing = nodeBackend.ed25519PublicKey(nodeBackend.randomBytes(32));
    const encryption = nodeBackend.x25519PublicKey(nodeBackend.randomBytes(32));
    expect(toHex(decodeSigningPublicKey('signingPublicKey', toBase64Url(signing)))).toBe(
      toHex(signing),
    );
    expect(toHex(decodeEncryptionPublicKey('encryptionPublicKey', toBase64Url(encryption)))).toBe(
      toHex(encryption),
    );
  });

  it('refuse the identity key of the finding, AQAA...AA, and the all-zero key', () => {
    const identity = 'AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect(identity).toBe(toBase64Url(fromHex('k', small.torsion[0]!.encoding)));
    expectWeak(
      () => decodeSigningPublicKey('signingPublicKey', identity),
      'signingPublicKey',
      'small-order',
    );
    const zero = 'A'.repeat(43);
    expectWeak(
      () => decodeSigningPublicKey('signingPublicKey', zero),
      'signingPublicKey',
      'small-order',
    );
    expectWeak(
      () => decodeEncryptionPublicKey('encryptionPublicKey', zero),
      'encryptionPublicKey',
      'small-order',
    );
  });

  it('refuse text that is not 43 characters of canonical unpadded base64url with InvalidInput', () => {
    const good = toBase64Url(nodeBackend.ed25519PublicKey(nodeBackend.randomBytes(32)));
    // The last character carries 4 key bits and 2 unused bits; set one unused bit.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(good.at(-1)!);
    const alias = good.slice(0, 42) + alphabet[last | 1];
    for (const [text, problem] of [
      [`${good}=`, 'expected 43 characters of unpadded base64url (32 bytes)'],
      [good.slice(0, 42), 'expected 43 characters of unpadded base64url (32 bytes)'],
      [`${good.slice(0, 42)}+`, 'expected unpadded base64url text'],
      [alias, 'is not canonical base64url (the unused bits of its last character are not zero)'],
    ]) {
      for (const decode of [decodeSigningPublicKey, decodeEncryptionPublicKey]) {
        const error = thrown(() => decode('publicKey', text!));
        expect(error.code).toBe(CryptoErrorCode.InvalidInput);
        expect(error.message).toBe(`publicKey: ${problem}`);
      }
    }
    const error = thrown(() => decodeSigningPublicKey('publicKey', 42 as unknown as string));
    expect(error.code).toBe(CryptoErrorCode.InvalidInput);
  });
});
