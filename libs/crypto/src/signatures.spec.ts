import { readFileSync } from 'node:fs';

import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { nodeBackend, portableBackend, type CryptoBackend } from './backends.js';
import { concatBytes, fromHex, toBase64Url, toHex } from './bytes.js';
import { CryptoErrorCode } from './errors.js';
import {
  assertCanonicalSignature,
  generateSigningKeyPair,
  signBytes,
  signCanonical,
  signingPublicKey,
  verifyBytes,
  verifyCanonical,
  verifyCanonicalEncoded,
} from './signatures.js';
import { flipBit, thrown, useBackendInSuite } from '../test/support.js';

interface SmallOrderFile {
  readonly torsion: readonly { encoding: string }[];
  readonly nonCanonical: readonly { encoding: string }[];
}
const small = JSON.parse(
  readFileSync(new URL('../test/vectors/ed25519-small-order.json', import.meta.url), 'utf8'),
) as SmallOrderFile;
const SMALL_ORDER = [...small.torsion, ...small.nonCanonical].map((t) => fromHex('t', t.encoding));
const IDENTITY = fromHex('t', small.torsion[0]!.encoding);
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** A signed request: any JSON payload plus fields that a tamper can change. */
const request = fc.record({
  kind: fc.constantFrom('consent.grant', 'session.open', 'keys.request'),
  nonce: fc.integer({ min: 0, max: 1_000_000 }),
  payload: fc.jsonValue({ maxDepth: 3 }),
});

describe.each([nodeBackend, portableBackend])(
  'signatures on the $name backend',
  (b: CryptoBackend) => {
    useBackendInSuite(b);

    it('signs and verifies canonical JSON, whatever the key order of the signed object', () => {
      const keys = generateSigningKeyPair();
      fc.assert(
        fc.property(request, (value) => {
          const signature = signCanonical(keys.secretKey, value);
          expect(signature.length).toBe(64);
          expect(verifyCanonical(keys.publicKey, value, signature)).toBe(true);
          const reordered = { payload: value.payload, nonce: value.nonce, kind: value.kind };
          expect(verifyCanonical(keys.publicKey, reordered, signature)).toBe(true);
          expect(() =>
            assertCanonicalSignature(keys.publicKey, reordered, signature),
          ).not.toThrow();
        }),
        { numRuns: 50 },
      );
      expect(signingPublicKey(keys.secretKey)).toEqual(keys.publicKey);
    });

    it('detects one flipped bit in the signature, the public key, or the message bytes', () => {
      const keys = generateSigningKeyPair();
      fc.assert(
        fc.property(request, fc.nat(), (value, at) => {
          const signature = signCanonical(keys.secretKey, value);
          expect(verifyCanonical(keys.publicKey, value, flipBit(signature, at))).toBe(false);
          expect(verifyCanonical(flipBit(keys.publicKey, at), value, signature)).toBe(false);
          const message = new TextEncoder().encode(JSON.stringify(value));
          const bytesSignature = signBytes(keys.secretKey, message);
          expect(verifyBytes(keys.publicKey, flipBit(message, at), bytesSignature)).toBe(false);
        }),
        { numRuns: 50 },
      );
    });

    it('rejects a changed canonical JSON value; assertCanonicalSignature throws SignatureInvalid', () => {
      const keys = generateSigningKeyPair();
      fc.assert(
        fc.property(request, fc.integer({ min: 1, max: 1000 }), (value, delta) => {
          const signature = signCanonical(keys.secretKey, value);
          const changed = { ...value, nonce: value.nonce + delta };
          expect(verifyCanonical(keys.publicKey, changed, signature)).toBe(false);
          const error = thrown(() =>
            assertCanonicalSignature(keys.publicKey, changed, signature, 'consent signature'),
          );
          expect(error.code).toBe(CryptoErrorCode.SignatureInvalid);
          expect(error.message).toBe(
            "consent signature does not verify against the signer's public key",
          );
          expect(error.details).toEqual({ what: 'consent signature' });
        }),
        { numRuns: 50 },
      );
      const other = generateSigningKeyPair();
      const signature = signCanonical(keys.secretKey, { a: 1 });
      expect(verifyCanonical(other.publicKey, { a: 1 }, signature)).toBe(false);
      expect(
        thrown(() => assertCanonicalSignature(other.publicKey, { a: 1 }, signature)).message,
      ).toBe("signature does not verify against the signer's public key");
    });

    it('signs deterministically (RFC 8032) and distinct keys give distinct signatures', () => {
      const a = generateSigningKeyPair();
      const c = generateSigningKeyPair();
      expect(a.secretKey).not.toEqual(c.secretKey);
      expect(signCanonical(a.secretKey, { x: 1 })).toEqual(signCanonical(a.secretKey, { x: 1 }));
      expect(signCanonical(a.secretKey, { x: 1 })).not.toEqual(
        signCanonical(c.secretKey, { x: 1 }),
      );
    });
  },
);

describe.each([nodeBackend, portableBackend])(
  'strict Ed25519 acceptance on the $name backend',
  (b: CryptoBackend) => {
    useBackendInSuite(b);

    it('refuses the small-order identity key that verified every message (issue #10 finding 2)', () => {
      // A = identity (AQAA...AA), signature = identity ‖ 0: [0]B - [k]A = identity = R for every
      // message, so a cofactorless verifier without the small-order check accepts all of them.
      const forged = concatBytes(IDENTITY, new Uint8Array(32));
      const zeroKey = new Uint8Array(32); // y = 0, order 4: verified about one message in four
      for (let i = 0; i < 2000; i++) {
        const message = b.randomBytes(16 + (i % 64));
        expect(verifyBytes(IDENTITY, message, forged)).toBe(false);
        expect(verifyBytes(zeroKey, message, forged)).toBe(false);
      }
      for (let i = 0; i < 50; i++) {
        const statement = {
          kind: 'login',
          participantId: `p-${i}`,
          nonce: toHex(b.randomBytes(16)),
        };
        expect(verifyCanonical(IDENTITY, statement, forged)).toBe(false);
        expect(thrown(() => assertCanonicalSignature(IDENTITY, statement, forged)).code).toBe(
          CryptoErrorCode.SignatureInvalid,
        );
      }
    });

    it('never accepts a small-order A (any of the 14 encodings) with a small-order R and S = 0', () => {
      for (const a of SMALL_ORDER) {
        for (const r of SMALL_ORDER) {
          const signature = concatBytes(r, new Uint8Array(32));
          for (let i = 0; i < 8; i++) {
            expect(verifyBytes(a, b.randomBytes(32), signature)).toBe(false);
          }
        }
      }
    });

    it('refuses a small-order R, and S + L in place of S, in an otherwise valid signature', () => {
      const keys = generateSigningKeyPair();
      const message = b.randomBytes(40);
      const signature = signBytes(keys.secretKey, message);
      expect(verifyBytes(keys.publicKey, message, signature)).toBe(true);
      for (const r of SMALL_ORDER) {
        expect(verifyBytes(keys.publicKey, message, concatBytes(r, signature.subarray(32)))).toBe(
          false,
        );
      }
      const s = bytesToNumberLE(signature.subarray(32));
      for (const big of [s + L, L, 2n ** 256n - 1n]) {
        const malleated = concatBytes(signature.subarray(0, 32), numberToBytesLE(big, 32));
        expect(verifyBytes(keys.publicKey, message, malleated)).toBe(false);
      }
    });
  },
);

describe('signature input validation', () => {
  const keys = generateSigningKeyPair();
  const message = new Uint8Array([1, 2, 3]);
  const signature = signBytes(keys.secretKey, message);

  it.each([
    [
      'secretKey',
      () => signingPublicKey(new Uint8Array(31)),
      'secretKey: expected 32 bytes, got 31',
    ],
    [
      'secretKey',
      () => signBytes(new Uint8Array(64), message),
      'secretKey: expected 32 bytes, got 64',
    ],
    [
      'secretKey',
      () => signBytes('secret' as unknown as Uint8Array, message),
      'secretKey: expected a Uint8Array, got string',
    ],
    [
      'message',
      () => signBytes(keys.secretKey, [1, 2] as unknown as Uint8Array),
      'message: expected a Uint8Array, got an array',
    ],
    [
      'publicKey',
      () => verifyBytes(new Uint8Array(33), message, signature),
      'publicKey: expected 32 bytes, got 33',
    ],
    [
      'publicKey',
      () => verifyBytes(null as unknown as Uint8Array, message, signature),
      'publicKey: expected a Uint8Array, got null',
    ],
    [
      'message',
      () => verifyBytes(keys.publicKey, 'abc' as unknown as Uint8Array, signature),
      'message: expected a Uint8Array, got string',
    ],
    [
      'signature',
      () => verifyBytes(keys.publicKey, message, signature.subarray(0, 63)),
      'signature: expected 64 bytes, got 63',
    ],
    [
      'signature',
      () => verifyCanonical(keys.publicKey, {}, new Uint8Array(0)),
      'signature: expected 64 bytes, got 0',
    ],
    [
      'value.x',
      () => signCanonical(keys.secretKey, { x: undefined }),
      'value.x: is undefined, which JSON cannot represent',
    ],
    [
      'value.n',
      () => verifyCanonical(keys.publicKey, { n: NaN }, signature),
      'value.n: is not a finite number',
    ],
  ])('rejects a bad %s with InvalidInput naming it', (parameter, call, message) => {
    const error = thrown(call);
    expect(error.code).toBe(CryptoErrorCode.InvalidInput);
    expect(error.message).toBe(message);
    expect(error.details['parameter']).toBe(parameter);
  });
});

describe('verifyCanonicalEncoded', () => {
  const keys = generateSigningKeyPair();
  const value = { purpose: 'test', n: 1 };
  const signature = toBase64Url(signCanonical(keys.secretKey, value));
  const publicKey = toBase64Url(keys.publicKey);

  it('verifies what verifyCanonical verifies, from base64url text', () => {
    expect(verifyCanonicalEncoded(publicKey, value, signature)).toBe(true);
    expect(verifyCanonicalEncoded(publicKey, { ...value, n: 2 }, signature)).toBe(false);
  });

  it.each([
    ['a key that is not base64url', '***', signature],
    ['a short key', 'AAAA', signature],
    ['a signature that is not base64url', publicKey, '!!!'],
    ['a short signature', publicKey, 'AAAA'],
  ])('answers false, never throws, for %s', (_what, key, sig) => {
    expect(verifyCanonicalEncoded(key, value, sig)).toBe(false);
  });
});
