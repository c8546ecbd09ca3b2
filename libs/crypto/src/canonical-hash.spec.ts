import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { nodeBackend, portableBackend } from './backends.js';
import { sha256CanonicalHex } from './canonical-hash.js';
import { CryptoErrorCode } from './errors.js';
import { thrown, useBackendInSuite } from '../test/support.js';

// Keys out of order, nested, a non-ASCII string and a fraction: what canonicalization must settle.
const value = {
  signature: 'c2ln',
  metadata: {
    version: 1,
    title: 'Bären €',
    sensitivity: ['HIV', 'PSY'],
    ratio: 0.5,
    ciphertextHash: '0xab',
  },
  authorKeyVersion: 2,
};
// The RFC 8785 canonical form of `value`, written by hand.
const canonical =
  '{"authorKeyVersion":2,"metadata":{"ciphertextHash":"0xab","ratio":0.5,' +
  '"sensitivity":["HIV","PSY"],"title":"Bären €","version":1},"signature":"c2ln"}';
// `printf '%s' "$canonical" | sha256sum` (coreutils 9), computed once outside this code.
const KNOWN = '0xd279be8c36780db9dd85688ddbf9acb1cd080ec0e301271ad51246b98f40d53a';

for (const backend of [nodeBackend, portableBackend]) {
  describe(`sha256CanonicalHex (${backend.name})`, () => {
    useBackendInSuite(backend);

    it('is the known SHA-256 of the canonical JSON, as 0x-prefixed lowercase hex', () => {
      expect(sha256CanonicalHex(value)).toBe(KNOWN);
    });

    it('equals node:crypto SHA-256 over the UTF-8 of the hand-written canonical form', () => {
      const independent = `0x${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
      expect(independent).toBe(KNOWN);
      expect(sha256CanonicalHex(JSON.parse(canonical))).toBe(independent);
    });

    it('changes when any value changes, and not with key order', () => {
      expect(sha256CanonicalHex({ ...value, authorKeyVersion: 3 })).not.toBe(KNOWN);
      expect(
        sha256CanonicalHex({ ...value, metadata: { ...value.metadata, sensitivity: ['PSY'] } }),
      ).not.toBe(KNOWN);
      const reordered = { authorKeyVersion: 2, metadata: value.metadata, signature: 'c2ln' };
      expect(sha256CanonicalHex(reordered)).toBe(KNOWN);
    });

    it('refuses what JSON cannot represent', () => {
      expect(thrown(() => sha256CanonicalHex({ a: undefined })).code).toBe(
        CryptoErrorCode.InvalidInput,
      );
      expect(thrown(() => sha256CanonicalHex({ n: Number.NaN })).code).toBe(
        CryptoErrorCode.InvalidInput,
      );
    });
  });
}
