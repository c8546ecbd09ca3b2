import { canonicalize } from 'json-canonicalize';

import { utf8 } from './bytes.js';
import { CryptoError, CryptoErrorCode } from './errors.js';

/** A value that RFC 8785 can canonicalize: JSON without undefined, functions, NaN or Infinity. */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** RFC 8785 (JCS) canonical JSON text of `value`. */
export function canonicalJson(value: unknown): string {
  assertJson('value', value, new Set());
  return canonicalize(value);
}

/** UTF-8 bytes of the RFC 8785 canonical JSON of `value`: what gets signed and hashed. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return utf8(canonicalJson(value));
}

// json-canonicalize silently drops or stringifies what JSON cannot hold; a signature over such a
// value would not mean what the signer thinks, so refuse it instead.
function assertJson(path: string, value: unknown, seen: Set<object>): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw notJson(path, 'is not a finite number');
      return;
    case 'object':
      if (value === null) return;
      if (seen.has(value)) throw notJson(path, 'is a circular reference');
      seen.add(value);
      if (Array.isArray(value)) {
        // An index loop, not forEach: a hole in a sparse array must be refused like undefined.
        for (let i = 0; i < value.length; i++) assertJson(`${path}[${i}]`, value[i], seen);
      } else {
        const proto = Object.getPrototypeOf(value) as unknown;
        if (proto !== Object.prototype && proto !== null) {
          throw notJson(
            path,
            `is a ${value.constructor?.name ?? 'non-plain'} object, not plain JSON`,
          );
        }
        for (const [key, item] of Object.entries(value)) assertJson(`${path}.${key}`, item, seen);
      }
      seen.delete(value);
      return;
    default:
      throw notJson(path, `is ${typeof value}, which JSON cannot represent`);
  }
}

function notJson(path: string, problem: string): CryptoError {
  return new CryptoError(CryptoErrorCode.InvalidInput, `${path}: ${problem}`, { parameter: path });
}
