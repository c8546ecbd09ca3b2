// Known-answer tests: published vectors (sources in test/vectors/README.md) through both backends.
import { readFileSync } from 'node:fs';

import { gcm } from '@noble/ciphers/aes.js';
import { describe, expect, it } from 'vitest';

import { nodeBackend, portableBackend, type CryptoBackend } from './backends.js';
import { concatBytes, fromHex, toHex } from './bytes.js';
import { canonicalJson, canonicalJsonBytes } from './canonical-json.js';
import { CryptoErrorCode, isCryptoError } from './errors.js';
import { signBytes, signingPublicKey, verifyBytes } from './signatures.js';
import { useBackendInSuite } from '../test/support.js';

function vectorText(file: string): string {
  return readFileSync(new URL(`../test/vectors/${file}`, import.meta.url), 'utf8');
}
function vectors<T>(file: string): T {
  return JSON.parse(vectorText(file)) as T;
}
const hex = (value: string) => fromHex('vector', value);

interface AeadCase {
  readonly name: string;
  readonly key: string;
  readonly iv: string;
  readonly aad: string;
  readonly pt: string;
  readonly ct: string;
  readonly tag: string;
  readonly valid: boolean;
}

interface WycheproofFile {
  readonly ivSize: number;
  readonly keySize: number;
  readonly tagSize: number;
  readonly tests: readonly {
    readonly tcId: number;
    readonly comment: string;
    readonly key: string;
    readonly iv: string;
    readonly aad: string;
    readonly msg: string;
    readonly ct: string;
    readonly tag: string;
    readonly result: 'valid' | 'invalid';
  }[];
}

interface NistFile {
  readonly tests: readonly {
    readonly section: string;
    readonly count: number;
    readonly key: string;
    readonly iv: string;
    readonly pt: string;
    readonly aad: string;
    readonly ct: string;
    readonly tag: string;
  }[];
}

const wycheproof = vectors<WycheproofFile>('wycheproof-aes-gcm-256.json');
const nist = vectors<NistFile>('nist-cavp-gcm-encrypt-256.json');

const AES_GCM_CASES: readonly AeadCase[] = [
  ...wycheproof.tests.map((t) => ({
    name: `Wycheproof tcId ${t.tcId}${t.comment ? ` (${t.comment})` : ''}`,
    key: t.key,
    iv: t.iv,
    aad: t.aad,
    pt: t.msg,
    ct: t.ct,
    tag: t.tag,
    valid: t.result === 'valid',
  })),
  ...nist.tests.map((t) => ({
    name: `NIST gcmEncryptExtIV256 ${t.section} Count = ${t.count}`,
    key: t.key,
    iv: t.iv,
    aad: t.aad,
    pt: t.pt,
    ct: t.ct,
    tag: t.tag,
    valid: true,
  })),
];

const BACKENDS: readonly CryptoBackend[] = [nodeBackend, portableBackend];

describe('AES-256-GCM known answers (Wycheproof, NIST CAVP)', () => {
  it('covers empty plaintext, AAD, long inputs and failing vectors', () => {
    expect(wycheproof).toMatchObject({ ivSize: 96, keySize: 256, tagSize: 128 });
    expect(AES_GCM_CASES.length).toBeGreaterThanOrEqual(10);
    const valid = AES_GCM_CASES.filter((c) => c.valid);
    expect(valid.some((c) => c.pt === '' && c.aad === '')).toBe(true);
    expect(valid.some((c) => c.pt === '' && c.aad !== '')).toBe(true);
    expect(valid.some((c) => c.pt !== '' && c.aad !== '')).toBe(true);
    expect(AES_GCM_CASES.filter((c) => !c.valid).length).toBeGreaterThanOrEqual(5);
    for (const c of AES_GCM_CASES) {
      expect(hex(c.key).length, c.name).toBe(32);
      expect(hex(c.iv).length, c.name).toBe(12);
      expect(hex(c.tag).length, c.name).toBe(16);
    }
  });

  describe.each(BACKENDS)('$name backend', (b) => {
    it.each(AES_GCM_CASES)('$name', async (c) => {
      const [key, iv, aad, pt] = [hex(c.key), hex(c.iv), hex(c.aad), hex(c.pt)];
      const sealed = concatBytes(hex(c.ct), hex(c.tag));
      if (c.valid) {
        expect(toHex(await b.aesGcmSeal(key, iv, aad, pt))).toBe(toHex(sealed));
        expect(toHex(await b.aesGcmOpen(key, iv, aad, sealed))).toBe(c.pt);
      } else {
        // Sealing the same plaintext gives the published ciphertext; only the tag was modified.
        expect(toHex((await b.aesGcmSeal(key, iv, aad, pt)).subarray(0, pt.length))).toBe(c.ct);
        await expect(b.aesGcmOpen(key, iv, aad, sealed)).rejects.toSatisfy((e) =>
          isCryptoError(e, CryptoErrorCode.DecryptionFailed),
        );
      }
    });
  });

  it.each(AES_GCM_CASES)('@noble/ciphers pure-JS gcm agrees: $name', (c) => {
    const cipher = () => gcm(hex(c.key), hex(c.iv), hex(c.aad));
    const sealed = concatBytes(hex(c.ct), hex(c.tag));
    if (c.valid) {
      expect(toHex(cipher().encrypt(hex(c.pt)))).toBe(toHex(sealed));
      expect(toHex(cipher().decrypt(sealed))).toBe(c.pt);
    } else {
      expect(() => cipher().decrypt(sealed)).toThrow();
    }
  });
});

interface Rfc8032File {
  readonly tests: readonly {
    readonly name: string;
    readonly secretKey: string;
    readonly publicKey: string;
    readonly message: string;
    readonly signature: string;
  }[];
}

describe.each(BACKENDS)('RFC 8032 section 7.1 Ed25519 on the $name backend', (b) => {
  useBackendInSuite(b);

  it.each(vectors<Rfc8032File>('rfc8032-ed25519.json').tests)('$name', (t) => {
    const [secretKey, publicKey, message, signature] = [
      t.secretKey,
      t.publicKey,
      t.message,
      t.signature,
    ].map(hex) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    expect(toHex(signingPublicKey(secretKey))).toBe(t.publicKey);
    expect(toHex(signBytes(secretKey, message))).toBe(t.signature);
    expect(verifyBytes(publicKey, message, signature)).toBe(true);
    const other = concatBytes(message, Uint8Array.of(0));
    expect(verifyBytes(publicKey, other, signature)).toBe(false);
  });
});

interface Rfc8785File {
  readonly sample: {
    readonly inputFile: string;
    readonly canonical: string;
    readonly utf8: string;
  };
  readonly sorting: { readonly inputFile: string; readonly expectedValueOrder: readonly string[] };
  readonly numbers: {
    readonly valid: readonly {
      readonly ieee754: string;
      readonly json: string;
      readonly comment: string;
    }[];
    readonly invalid: readonly { readonly ieee754: string; readonly comment: string }[];
  };
}

describe('RFC 8785 canonical JSON known answers', () => {
  const rfc = vectors<Rfc8785File>('rfc8785.json');
  const double = (bits: string) => new DataView(hex(bits).buffer).getFloat64(0, false);

  it('canonicalizes the section 3.2.2 sample to the exact bytes of section 3.2.4', () => {
    const input: unknown = JSON.parse(vectorText(rfc.sample.inputFile));
    expect(canonicalJson(input)).toBe(rfc.sample.canonical);
    expect(toHex(canonicalJsonBytes(input))).toBe(rfc.sample.utf8);
  });

  it('sorts properties by UTF-16 code units as in section 3.2.3', () => {
    const input: unknown = JSON.parse(vectorText(rfc.sorting.inputFile));
    const canonical = canonicalJson(input);
    // Read the order from the text: JSON.parse would move the integer-like key "1" first.
    const order = [...canonical.matchAll(/:"([^"]*)"/g)].map((m) => m[1]);
    expect(order).toEqual(rfc.sorting.expectedValueOrder);
    expect(canonical.startsWith('{"\\r":"Carriage Return","1":"One",')).toBe(true);
  });

  it.each(rfc.numbers.valid)(
    'serializes the double $ieee754 as $json (Appendix B)',
    ({ ieee754, json }) => {
      expect(canonicalJson(double(ieee754))).toBe(json);
      expect(canonicalJson({ n: double(ieee754) })).toBe(`{"n":${json}}`);
    },
  );

  it.each(rfc.numbers.invalid)(
    'refuses the double $ieee754 ($comment, Appendix B)',
    ({ ieee754 }) => {
      expect(() => canonicalJson({ n: double(ieee754) })).toThrow(
        expect.objectContaining({
          code: CryptoErrorCode.InvalidInput,
          message: 'value.n: is not a finite number',
        }),
      );
    },
  );
});
