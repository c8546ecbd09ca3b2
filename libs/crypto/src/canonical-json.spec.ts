import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { canonicalJson, canonicalJsonBytes } from './canonical-json.js';
import { CryptoError, CryptoErrorCode } from './errors.js';

function refusal(value: unknown): CryptoError {
  try {
    canonicalJson(value);
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    return error as CryptoError;
  }
  throw new Error('canonicalJson accepted a value JSON cannot represent');
}

/** The same JSON value with every object's keys in reverse insertion order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversed(v)]),
    );
  }
  return value;
}

describe('canonicalJson', () => {
  it('sorts keys recursively, drops whitespace and keeps array order', () => {
    expect(canonicalJson({ b: [3, 1, { z: 1, a: null }], a: 'x', c: { y: true, x: false } })).toBe(
      '{"a":"x","b":[3,1,{"a":null,"z":1}],"c":{"x":false,"y":true}}',
    );
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(Object.assign(Object.create(null) as object, { b: 1, a: 2 }))).toBe(
      '{"a":2,"b":1}',
    );
    const shared = { k: 1 };
    expect(canonicalJson({ x: shared, y: [shared] })).toBe('{"x":{"k":1},"y":[{"k":1}]}');
  });

  it('does not depend on the key order of the input', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(reversed(value))).toBe(canonicalJson(value));
      }),
    );
  });

  it('round-trips: parsing canonical text and canonicalizing again is stable', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(new TextDecoder().decode(canonicalJsonBytes(value))).toBe(text);
      }),
    );
  });

  const circular: Record<string, unknown> = { a: 1 };
  circular['self'] = circular;
  const circularArray: unknown[] = [1];
  circularArray.push({ back: circularArray });
  const sparse: unknown[] = new Array<unknown>(3);
  sparse[0] = 1;
  sparse[2] = 3;

  it.each([
    ['undefined at the top', undefined, 'value: is undefined, which JSON cannot represent'],
    [
      'a nested undefined',
      { a: { b: undefined } },
      'value.a.b: is undefined, which JSON cannot represent',
    ],
    [
      'undefined in an array',
      { list: [1, undefined] },
      'value.list[1]: is undefined, which JSON cannot represent',
    ],
    [
      'a hole in a sparse array',
      { list: sparse },
      'value.list[1]: is undefined, which JSON cannot represent',
    ],
    ['NaN', { n: NaN }, 'value.n: is not a finite number'],
    ['Infinity', { n: [Infinity] }, 'value.n[0]: is not a finite number'],
    ['-Infinity', -Infinity, 'value: is not a finite number'],
    ['a function', { f: () => 1 }, 'value.f: is function, which JSON cannot represent'],
    ['a bigint', { big: 1n }, 'value.big: is bigint, which JSON cannot represent'],
    ['a symbol', { s: Symbol('s') }, 'value.s: is symbol, which JSON cannot represent'],
    ['a Date', { when: new Date(0) }, 'value.when: is a Date object, not plain JSON'],
    [
      'a Uint8Array',
      { bytes: new Uint8Array(2) },
      'value.bytes: is a Uint8Array object, not plain JSON',
    ],
    ['a Map', { m: new Map() }, 'value.m: is a Map object, not plain JSON'],
    [
      'a class instance',
      { c: new (class Consent {})() },
      'value.c: is a Consent object, not plain JSON',
    ],
    ['a boxed string', { s: new String('x') }, 'value.s: is a String object, not plain JSON'],
    ['a circular object', circular, 'value.self: is a circular reference'],
    ['a circular array', circularArray, 'value[1].back: is a circular reference'],
  ])('refuses %s with InvalidInput naming the path', (_, value, message) => {
    const error = refusal(value);
    expect(error.code).toBe(CryptoErrorCode.InvalidInput);
    expect(error.message).toBe(message);
    expect(error.details['parameter']).toBe(message.slice(0, message.indexOf(':')));
  });
});
