// Published Ed25519 and X25519 edge cases (sources in test/vectors/README.md) through the public
// functions, on both backends: Wycheproof, "Taming the many EdDSAs" (ed25519-speccheck), C2SP CCTV.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { nodeBackend, portableBackend, type CryptoBackend } from './backends.js';
import { fromHex, toHex } from './bytes.js';
import { CryptoError, CryptoErrorCode, isCryptoError } from './errors.js';
import { isStrictEd25519Encoding } from './point-encodings.js';
import { assertEncryptionPublicKey, assertSigningPublicKey } from './public-keys.js';
import { verifyBytes } from './signatures.js';
import { useBackendInSuite } from '../test/support.js';

function vectors<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../test/vectors/${file}`, import.meta.url), 'utf8')) as T;
}
const hex = (value: string) => fromHex('vector', value);

const BACKENDS: readonly CryptoBackend[] = [nodeBackend, portableBackend];

interface WycheproofEd25519 {
  readonly numberOfTests: number;
  readonly testGroups: readonly {
    readonly publicKey: { readonly pk: string };
    readonly tests: readonly {
      readonly tcId: number;
      readonly comment: string;
      readonly flags: readonly string[];
      readonly msg: string;
      readonly sig: string;
      readonly result: 'valid' | 'invalid';
    }[];
  }[];
}

interface WycheproofX25519 {
  readonly numberOfTests: number;
  readonly testGroups: readonly {
    readonly curve: string;
    readonly tests: readonly {
      readonly tcId: number;
      readonly comment: string;
      readonly flags: readonly string[];
      readonly public: string;
      readonly private: string;
      readonly shared: string;
      readonly result: 'valid' | 'acceptable' | 'invalid';
    }[];
  }[];
}

interface SpeccheckFile {
  readonly cases: readonly {
    readonly case: number;
    readonly message: string;
    readonly pub_key: string;
    readonly signature: string;
    readonly 'A order': string;
    readonly comment: string;
  }[];
}

interface CctvFile {
  readonly tests: readonly { number: number; key: string; sig: string; msg: string }[];
}

const ed25519Cases = vectors<WycheproofEd25519>('wycheproof-ed25519.json').testGroups.flatMap((g) =>
  g.tests.map((t) => ({ ...t, pk: g.publicKey.pk, name: `tcId ${t.tcId} ${t.comment}`.trim() })),
);

/**
 * What a strict cofactorless verifier (libsodium's rules, which verifyBytes follows) must say of
 * the twelve cases of Chalkias, Garillot, Nikolaenko, "Taming the many EdDSAs" (2020), table 1 of
 * the speccheck README. Only case 3 verifies; its key has a small-order component, which
 * assertSigningPublicKey refuses at registration.
 */
const SPECCHECK_STRICT: readonly { accept: boolean; because: string }[] = [
  { accept: false, because: 'A and R are of small order' },
  { accept: false, because: 'A is of small order' },
  { accept: false, because: 'R is of small order' },
  { accept: true, because: 'A and R of mixed order, and the cofactorless equation holds' },
  { accept: false, because: 'only the cofactored equation holds' },
  { accept: false, because: 'only the cofactored equation holds (pre-reduced scalar)' },
  { accept: false, because: 'S >= L' },
  { accept: false, because: 'S >= L (S far above L)' },
  { accept: false, because: 'R is a non-canonical encoding of a small-order point' },
  { accept: false, because: 'R is a non-canonical encoding of a small-order point' },
  { accept: false, because: 'A is a non-canonical encoding of a small-order point' },
  { accept: false, because: 'A is a non-canonical encoding of a small-order point' },
];

describe.each(BACKENDS)('Ed25519 edge cases through verifyBytes on the $name backend', (b) => {
  useBackendInSuite(b);

  it('Wycheproof ed25519_test.json: the file is complete', () => {
    expect(ed25519Cases).toHaveLength(
      vectors<WycheproofEd25519>('wycheproof-ed25519.json').numberOfTests,
    );
    expect(ed25519Cases.filter((t) => t.result === 'valid').length).toBeGreaterThan(50);
  });

  it.each(ed25519Cases)('Wycheproof $name: $result', (t) => {
    const [key, message, signature] = [hex(t.pk), hex(t.msg), hex(t.sig)];
    if (signature.length !== 64) {
      // Truncated or padded signatures: refused before any verification, naming the parameter.
      expect(t.result).toBe('invalid');
      let error: unknown;
      try {
        verifyBytes(key, message, signature);
      } catch (e) {
        error = e;
      }
      expect(isCryptoError(error, CryptoErrorCode.InvalidInput)).toBe(true);
      expect((error as CryptoError).details['parameter']).toBe('signature');
      return;
    }
    expect(verifyBytes(key, message, signature)).toBe(t.result === 'valid');
  });

  it.each(vectors<SpeccheckFile>('speccheck-ed25519.json').cases)(
    '"Taming the many EdDSAs" case $case ($comment)',
    (c) => {
      const expected = SPECCHECK_STRICT[c.case]!;
      const [key, message, signature] = [hex(c.pub_key), hex(c.message), hex(c.signature)];
      expect(verifyBytes(key, message, signature), expected.because).toBe(expected.accept);
    },
  );

  it('C2SP CCTV edge cases: verifyBytes accepts exactly what the backend accepts with canonical, large-order A and R', () => {
    const { tests } = vectors<CctvFile>('cctv-ed25519-edge.json');
    const verdicts = tests.map((t) => {
      const [key, sig, msg] = [hex(t.key), hex(t.sig), new TextEncoder().encode(t.msg)];
      const strict = isStrictEd25519Encoding(key) && isStrictEd25519Encoding(sig, 0);
      const verdict = verifyBytes(key, msg, sig);
      expect(verdict, `CCTV number ${t.number}`).toBe(strict && b.ed25519Verify(key, msg, sig));
      return verdict;
    });
    // Most of these cases are low-order or non-canonical; the mixed-order ones still verify.
    expect(new Set(verdicts)).toEqual(new Set([true, false]));
  });
});

describe('Ed25519 speccheck keys at import', () => {
  it('assertSigningPublicKey refuses every key of small or mixed order, accepts those of order L', () => {
    const { cases } = vectors<SpeccheckFile>('speccheck-ed25519.json');
    expect(cases.filter((c) => c['A order'] === 'L').map((c) => c.case)).toEqual([6, 7]);
    for (const c of cases) {
      let error: unknown;
      try {
        assertSigningPublicKey('publicKey', hex(c.pub_key));
      } catch (e) {
        error = e;
      }
      if (c['A order'] === 'L') expect(error, `case ${c.case}`).toBeUndefined();
      else expect(isCryptoError(error, CryptoErrorCode.WeakKey), `case ${c.case}`).toBe(true);
    }
  });
});

const x25519 = vectors<WycheproofX25519>('wycheproof-x25519.json');
const x25519Cases = x25519.testGroups.flatMap((g) =>
  g.tests.map((t) => ({ ...t, name: `tcId ${t.tcId} ${t.comment}`.trim() })),
);
const ZERO = '00'.repeat(32);
const isLowOrder = (t: { flags: readonly string[]; shared: string }) =>
  t.flags.includes('LowOrderPublic') || t.flags.includes('ZeroSharedSecret') || t.shared === ZERO;

describe('Wycheproof x25519_test.json', () => {
  it('is complete, with valid, acceptable and low-order cases', () => {
    expect(x25519.testGroups.map((g) => g.curve)).toEqual(['curve25519']);
    expect(x25519Cases).toHaveLength(x25519.numberOfTests);
    expect(x25519Cases.filter(isLowOrder)).toHaveLength(31);
    expect(x25519Cases.filter((t) => t.result === 'valid').length).toBeGreaterThan(200);
  });

  it.each(x25519Cases.filter(isLowOrder))(
    '$name ($result, low order): refused at import and by the shared-secret check of both backends',
    (t) => {
      expect(t.shared).toBe(ZERO);
      expect(() => assertEncryptionPublicKey('publicKey', hex(t.public))).toThrow(
        expect.objectContaining({ code: CryptoErrorCode.WeakKey }),
      );
      for (const b of BACKENDS) {
        expect(() => b.x25519SharedSecret(hex(t.private), hex(t.public)), b.name).toThrow(
          expect.objectContaining({ code: CryptoErrorCode.InvalidInput }),
        );
      }
    },
  );

  it.each(x25519Cases.filter((t) => !isLowOrder(t)))(
    '$name ($result): both backends compute the shared secret',
    (t) => {
      for (const b of BACKENDS) {
        expect(toHex(b.x25519SharedSecret(hex(t.private), hex(t.public))), b.name).toBe(t.shared);
      }
      // Keys that a key generation never outputs (u >= p, bit 255 set) are refused at import.
      const importable = !t.flags.includes('NonCanonicalPublic');
      let refused: unknown;
      try {
        assertEncryptionPublicKey('publicKey', hex(t.public));
      } catch (error) {
        refused = error;
      }
      expect(refused === undefined).toBe(importable);
      if (!importable) expect(isCryptoError(refused, CryptoErrorCode.WeakKey)).toBe(true);
    },
  );
});
