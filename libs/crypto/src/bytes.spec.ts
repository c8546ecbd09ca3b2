import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  assertBytes,
  concatBytes,
  constantTimeEqual,
  fromBase64Url,
  fromHex,
  toBase64Url,
  toHex,
  uint,
  zeroize,
} from './bytes.js';
import { CryptoErrorCode, isCryptoError } from './errors.js';

describe('bytes', () => {
  it('round-trips hex and base64url for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(fromHex('x', toHex(bytes))).toEqual(bytes);
        expect(fromBase64Url('x', toBase64Url(bytes))).toEqual(bytes);
      }),
    );
  });

  it('compares equal arrays as equal and any single-bit difference as different', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (a, i, bit) => {
          const b = a.slice();
          expect(constantTimeEqual(a, b)).toBe(true);
          b[i % b.length]! ^= 1 << bit;
          expect(constantTimeEqual(a, b)).toBe(false);
        },
      ),
    );
    expect(constantTimeEqual(new Uint8Array(2), new Uint8Array(3))).toBe(false);
  });

  it('names the parameter in input errors', () => {
    const error = (() => {
      try {
        assertBytes('nonce', new Uint8Array(11), 12);
      } catch (e) {
        return e;
      }
    })();
    expect(isCryptoError(error, CryptoErrorCode.InvalidInput)).toBe(true);
    expect((error as Error).message).toBe('nonce: expected 12 bytes, got 11');
    expect(() => assertBytes('key', 'abc')).toThrow('key: expected a Uint8Array, got string');
    expect(() => fromHex('commitment', 'abc')).toThrow(
      'commitment: expected an even-length hexadecimal string',
    );
    expect(() => fromBase64Url('share', 'a+b=')).toThrow('share: expected unpadded base64url text');
  });

  it('encodes big-endian integers and concatenates', () => {
    expect(toHex(uint(0x01020304, 4))).toBe('01020304');
    expect(toHex(uint(258, 2))).toBe('0102');
    expect(toHex(concatBytes(Uint8Array.of(1), Uint8Array.of(2, 3)))).toBe('010203');
  });

  it('zeroizes secrets in place', () => {
    const secret = Uint8Array.of(1, 2, 3);
    zeroize(secret, undefined);
    expect(secret).toEqual(new Uint8Array(3));
  });
});
