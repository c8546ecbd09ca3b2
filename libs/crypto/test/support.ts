// Helpers shared by the crypto specs.
import { afterAll, beforeAll, expect } from 'vitest';

import { useBackend, type CryptoBackend } from '../src/backends.js';
import { CryptoError } from '../src/errors.js';

/** A copy of `bytes` with bit `at` (modulo the bit length) flipped. */
export function flipBit(bytes: Uint8Array, at: number): Uint8Array {
  const out = bytes.slice();
  const bit = at % (out.length * 8);
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

/** Runs `f` with backend `b` active, then restores the previous one. */
export async function withBackend<T>(b: CryptoBackend, f: () => Promise<T>): Promise<T> {
  const previous = useBackend(b);
  try {
    return await f();
  } finally {
    useBackend(previous);
  }
}

/** The CryptoError `promise` rejects with; fails the test if it resolves or throws anything else. */
export async function rejection(promise: Promise<unknown>): Promise<CryptoError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    return error as CryptoError;
  }
  throw new Error('expected a CryptoError, but the call succeeded');
}

/** The CryptoError `f` throws; fails the test if it returns or throws anything else. */
export function thrown(f: () => unknown): CryptoError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    return error as CryptoError;
  }
  throw new Error('expected a CryptoError, but the call succeeded');
}

/** Makes `b` the active backend for the enclosing describe block, restoring the previous after. */
export function useBackendInSuite(b: CryptoBackend): void {
  let previous: CryptoBackend;
  beforeAll(() => {
    previous = useBackend(b);
  });
  afterAll(() => {
    useBackend(previous);
  });
}
