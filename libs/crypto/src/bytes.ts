import { invalidInput } from './errors.js';
import { assertWellFormedText } from './unicode.js';

/** Throws a CryptoError naming `parameter` unless `value` is a Uint8Array (of `length`, if given). */
export function assertBytes(
  parameter: string,
  value: unknown,
  length?: number,
): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw invalidInput(parameter, `expected a Uint8Array, got ${describe(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw invalidInput(parameter, `expected ${length} bytes, got ${value.length}`);
  }
}

export function assertNonEmptyBytes(
  parameter: string,
  value: unknown,
): asserts value is Uint8Array {
  assertBytes(parameter, value);
  if (value.length === 0) throw invalidInput(parameter, 'must not be empty');
}

export function assertString(
  parameter: string,
  value: unknown,
  maxLength = 1024,
): asserts value is string {
  if (typeof value !== 'string')
    throw invalidInput(parameter, `expected a string, got ${describe(value)}`);
  if (value.length === 0) throw invalidInput(parameter, 'must not be empty');
  if (value.length > maxLength)
    throw invalidInput(parameter, `longer than ${maxLength} characters`);
  assertWellFormedText(parameter, value);
}

export function assertInteger(
  parameter: string,
  value: unknown,
  min: number,
  max: number,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw invalidInput(parameter, `expected an integer, got ${describe(value)}`);
  }
  if (value < min || value > max)
    throw invalidInput(parameter, `must be between ${min} and ${max}, got ${value}`);
}

/** Compares two byte arrays in time that depends only on their lengths. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** Overwrites secret bytes once they are no longer needed. */
export function zeroize(...buffers: (Uint8Array | undefined)[]): void {
  for (const buffer of buffers) buffer?.fill(0);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Big-endian unsigned integer of `width` bytes. */
export function uint(value: number, width: 1 | 2 | 4): Uint8Array {
  const out = new Uint8Array(width);
  for (let i = width - 1, v = value; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  return out;
}

/** A length-prefixed field (u32 big-endian length, then bytes): unambiguous concatenation. */
export function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  return concatBytes(uint(bytes.length, 4), bytes);
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(parameter: string, hex: string): Uint8Array {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw invalidInput(parameter, 'expected an even-length hexadecimal string');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(parameter: string, text: string): Uint8Array {
  if (typeof text !== 'string' || !B64URL.test(text) || text.length % 4 === 1) {
    throw invalidInput(parameter, 'expected unpadded base64url text');
  }
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return value.constructor?.name ?? 'an object';
  return typeof value;
}
