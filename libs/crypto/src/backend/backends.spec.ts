import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { fromHex, toHex } from '../bytes.js';
import { CryptoError, CryptoErrorCode, isCryptoError } from '../errors.js';
import { nodeBackend } from './node.js';
import { portableBackend } from './portable.js';
import type { CryptoBackend } from './types.js';

const BACKENDS: readonly CryptoBackend[] = [nodeBackend, portableBackend];

interface LowOrderPoints {
  readonly points: readonly { readonly name: string; readonly u: string }[];
}
interface SmallOrderPoints {
  readonly torsion: readonly { readonly encoding: string }[];
  readonly nonCanonical: readonly { readonly encoding: string }[];
}
interface CctvVectors {
  readonly tests: readonly {
    readonly number: number;
    readonly key: string;
    readonly sig: string;
    readonly msg: string;
  }[];
}

function vectors<T>(file: string): T {
  return JSON.parse(
    readFileSync(new URL(`../../test/vectors/${file}`, import.meta.url), 'utf8'),
  ) as T;
}

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const key32 = bytes(32, 32);

/** Runs `f` on both backends and returns both outcomes: a value, or the thrown error. */
async function both<T>(f: (b: CryptoBackend) => T | Promise<T>): Promise<[unknown, unknown]> {
  const run = async (b: CryptoBackend) => {
    try {
      return { value: await f(b) };
    } catch (error) {
      return { error };
    }
  };
  return [await run(nodeBackend), await run(portableBackend)];
}

describe('node and portable backends give identical outputs', () => {
  it('sha256 and hmacSha256', () => {
    fc.assert(
      fc.property(bytes(0, 300), bytes(0, 100), (data, key) => {
        expect(toHex(portableBackend.sha256(data))).toBe(toHex(nodeBackend.sha256(data)));
        expect(toHex(portableBackend.hmacSha256(key, data))).toBe(
          toHex(nodeBackend.hmacSha256(key, data)),
        );
      }),
    );
  });

  it('aesGcmSeal and aesGcmOpen with 16- and 32-byte keys, any aad and plaintext (empty too)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(bytes(16, 16), bytes(32, 32)),
        bytes(12, 12),
        bytes(0, 64),
        bytes(0, 300),
        async (key, nonce, aad, plaintext) => {
          const sealed = await nodeBackend.aesGcmSeal(key, nonce, aad, plaintext);
          expect(sealed.length).toBe(plaintext.length + 16);
          expect(toHex(await portableBackend.aesGcmSeal(key, nonce, aad, plaintext))).toBe(
            toHex(sealed),
          );
          for (const b of BACKENDS) {
            expect(toHex(await b.aesGcmOpen(key, nonce, aad, sealed))).toBe(toHex(plaintext));
          }
        },
      ),
    );
  });

  it('aesGcmOpen rejects the same inputs with DecryptionFailed', async () => {
    await fc.assert(
      fc.asyncProperty(
        key32,
        bytes(12, 12),
        bytes(0, 32),
        bytes(0, 100),
        fc.nat(),
        async (key, nonce, aad, pt, at) => {
          const sealed = await nodeBackend.aesGcmSeal(key, nonce, aad, pt);
          const bit = at % (sealed.length * 8);
          sealed[bit >> 3]! ^= 1 << (bit & 7);
          for (const b of BACKENDS) {
            await expect(b.aesGcmOpen(key, nonce, aad, sealed)).rejects.toSatisfy((e) =>
              isCryptoError(e, CryptoErrorCode.DecryptionFailed),
            );
          }
        },
      ),
    );
    for (const b of BACKENDS) {
      await expect(
        b.aesGcmOpen(new Uint8Array(32), new Uint8Array(12), new Uint8Array(0), new Uint8Array(15)),
      ).rejects.toSatisfy((e) => isCryptoError(e, CryptoErrorCode.DecryptionFailed));
    }
  });

  it('ed25519PublicKey, ed25519Sign and ed25519Verify (valid, flipped and random signatures)', () => {
    fc.assert(
      fc.property(
        key32,
        bytes(0, 200),
        fc.nat(),
        bytes(64, 64),
        key32,
        (seed, message, at, randomSig, randomKey) => {
          const publicKey = nodeBackend.ed25519PublicKey(seed);
          expect(toHex(portableBackend.ed25519PublicKey(seed))).toBe(toHex(publicKey));
          const signature = nodeBackend.ed25519Sign(seed, message);
          expect(toHex(portableBackend.ed25519Sign(seed, message))).toBe(toHex(signature));

          const flippedSig = signature.slice();
          flippedSig[(at >> 3) % 64]! ^= 1 << (at & 7);
          const flippedKey = publicKey.slice();
          flippedKey[(at >> 3) % 32]! ^= 1 << (at & 7);
          const cases: [Uint8Array, Uint8Array, boolean | undefined][] = [
            [publicKey, signature, true],
            [publicKey, flippedSig, false],
            [flippedKey, signature, false],
            [publicKey, randomSig, false],
            [randomKey, signature, undefined],
          ];
          for (const [key, sig, expected] of cases) {
            const verdict = nodeBackend.ed25519Verify(key, message, sig);
            expect(portableBackend.ed25519Verify(key, message, sig)).toBe(verdict);
            if (expected !== undefined) expect(verdict).toBe(expected);
          }
        },
      ),
    );
  });

  it('ed25519Verify agrees on the C2SP CCTV edge cases (low-order, non-canonical A and R)', () => {
    const { tests } = vectors<CctvVectors>('cctv-ed25519-edge.json');
    expect(tests.length).toBe(40);
    const verdicts = tests.map((t) => {
      const key = fromHex('key', t.key);
      const sig = fromHex('sig', t.sig);
      const msg = new TextEncoder().encode(t.msg);
      const verdict = nodeBackend.ed25519Verify(key, msg, sig);
      expect(portableBackend.ed25519Verify(key, msg, sig), `CCTV number ${t.number}`).toBe(verdict);
      return verdict;
    });
    // Both outcomes occur, so agreement is not agreement on "always false".
    expect(new Set(verdicts)).toEqual(new Set([true, false]));
  });

  it('ed25519Verify agrees on every small-order A and R with S = 0 (below the strict rules)', () => {
    const { torsion, nonCanonical } = vectors<SmallOrderPoints>('ed25519-small-order.json');
    const encodings = [...torsion, ...nonCanonical].map((t) => fromHex('t', t.encoding));
    let accepted = 0;
    for (const a of encodings) {
      for (const r of encodings) {
        const sig = new Uint8Array(64);
        sig.set(r);
        for (let i = 0; i < 4; i++) {
          const msg = nodeBackend.randomBytes(32);
          const verdict = nodeBackend.ed25519Verify(a, msg, sig);
          expect(portableBackend.ed25519Verify(a, msg, sig)).toBe(verdict);
          if (verdict) accepted++;
        }
      }
    }
    // Both accept some of them: the reason verifyBytes checks A and R itself.
    expect(accepted).toBeGreaterThan(0);
  });

  it('x25519PublicKey and x25519SharedSecret (both directions agree)', () => {
    fc.assert(
      fc.property(key32, key32, (a, b) => {
        const publicA = nodeBackend.x25519PublicKey(a);
        const publicB = nodeBackend.x25519PublicKey(b);
        expect(toHex(portableBackend.x25519PublicKey(a))).toBe(toHex(publicA));
        expect(toHex(portableBackend.x25519PublicKey(b))).toBe(toHex(publicB));
        const shared = toHex(nodeBackend.x25519SharedSecret(a, publicB));
        expect(toHex(nodeBackend.x25519SharedSecret(b, publicA))).toBe(shared);
        expect(toHex(portableBackend.x25519SharedSecret(a, publicB))).toBe(shared);
        expect(toHex(portableBackend.x25519SharedSecret(b, publicA))).toBe(shared);
      }),
    );
  });

  it('x25519SharedSecret with arbitrary 32-byte public keys (top bit set, off-curve)', async () => {
    await fc.assert(
      fc.asyncProperty(key32, key32, async (secret, u) => {
        const [n, p] = await both((b) => toHex(b.x25519SharedSecret(secret, u)));
        expect(p).toEqual(n);
      }),
    );
  });

  it('x25519SharedSecret reads a non-canonical u >= p as u mod p (RFC 7748 section 5)', () => {
    const p = 2n ** 255n - 19n;
    const le = (value: bigint) =>
      Uint8Array.from({ length: 32 }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn));
    const secret = nodeBackend.randomBytes(32);
    for (const u of [9n, 2n, 3n]) {
      const expected = toHex(nodeBackend.x25519SharedSecret(secret, le(u)));
      for (const b of BACKENDS) {
        expect(toHex(b.x25519SharedSecret(secret, le(u))), `${b.name} u=${u}`).toBe(expected);
        expect(toHex(b.x25519SharedSecret(secret, le(p + u))), `${b.name} u=p+${u}`).toBe(expected);
      }
    }
  });

  it('scrypt (N=1024, r=8, p=1)', async () => {
    await fc.assert(
      fc.asyncProperty(
        bytes(0, 40),
        bytes(0, 32),
        fc.integer({ min: 16, max: 64 }),
        async (passphrase, salt, dkLen) => {
          const params = { N: 1024, r: 8, p: 1, dkLen };
          const derived = await nodeBackend.scrypt(passphrase, salt, params);
          expect(derived.length).toBe(dkLen);
          expect(toHex(await portableBackend.scrypt(passphrase, salt, params))).toBe(
            toHex(derived),
          );
        },
      ),
      { numRuns: 5 },
    );
  });

  it('randomBytes gives the requested length and differs between calls', () => {
    for (const b of BACKENDS) {
      expect(b.randomBytes(0).length).toBe(0);
      expect(toHex(b.randomBytes(32))).not.toBe(toHex(b.randomBytes(32)));
    }
  });
});

describe.each(BACKENDS)('$name backend', (b) => {
  it.each(vectors<LowOrderPoints>('x25519-low-order.json').points)(
    'refuses the low-order X25519 public key u = $name with InvalidInput',
    ({ u }) => {
      const error = (() => {
        try {
          b.x25519SharedSecret(b.randomBytes(32), fromHex('u', u));
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(CryptoError);
      expect((error as CryptoError).code).toBe(CryptoErrorCode.InvalidInput);
      expect((error as CryptoError).message).toMatch(/^publicKey: /);
    },
  );
});
