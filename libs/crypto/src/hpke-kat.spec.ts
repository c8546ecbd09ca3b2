// RFC 9180 Appendix A.1.1 known answers (sources in test/vectors/README.md), run through the same
// suite builder production uses (createWrapSuite), with the deterministic-ephemeral test hook, on
// both backends.
import { readFileSync } from 'node:fs';

import { OpenError } from 'hpke';
import { describe, expect, it } from 'vitest';

import { nodeBackend, portableBackend, type CryptoBackend } from './backends.js';
import { fromHex, toHex, utf8 } from './bytes.js';
import { CryptoErrorCode, isCryptoError } from './errors.js';
import { dhkemX25519, X25519Key } from './hpke/dhkem-x25519.js';
import { hkdfSha256 } from './hpke/hkdf-sha256.js';
import { createWrapSuite } from './hpke/native-suite.js';
import { flipBit } from '../test/support.js';

interface Rfc9180Vector {
  readonly source: string;
  readonly mode: number;
  readonly kem_id: number;
  readonly kdf_id: number;
  readonly aead_id: number;
  readonly info: string;
  readonly ikmE: string;
  readonly pkEm: string;
  readonly skEm: string;
  readonly ikmR: string;
  readonly pkRm: string;
  readonly skRm: string;
  readonly enc: string;
  readonly shared_secret: string;
  readonly key: string;
  readonly base_nonce: string;
  readonly encryptions: readonly {
    readonly seq: number;
    readonly pt: string;
    readonly aad: string;
    readonly nonce: string;
    readonly ct: string;
  }[];
  readonly exports: readonly {
    readonly exporter_context: string;
    readonly L: number;
    readonly exported_value: string;
  }[];
}

const vector = JSON.parse(
  readFileSync(new URL('../test/vectors/rfc9180-a1.json', import.meta.url), 'utf8'),
) as Rfc9180Vector;
const hex = (value: string) => fromHex('vector', value);

const BACKENDS: readonly CryptoBackend[] = [nodeBackend, portableBackend];

/** The production suite builder with AES-128-GCM, its ephemeral key derived from ikmE. */
function katSuite(backend: CryptoBackend) {
  let ephemeralCalls = 0;
  const suite = createWrapSuite({
    aead: 'aes-128-gcm',
    backend,
    // A fresh pair on every call: Encap erases the ephemeral secret key after use.
    ephemeral: async () => {
      ephemeralCalls++;
      return suite.DeriveKeyPair(hex(vector.ikmE));
    },
  });
  return { suite, ephemeralCalls: () => ephemeralCalls };
}

interface Sealed {
  readonly seq: number;
  readonly aad: Uint8Array;
  readonly pt: Uint8Array;
  readonly ct: Uint8Array;
}

// RFC 5869 Appendix A, test cases 1-3 (HKDF-SHA256): the KDF of the suite on its own, including
// multi-block Expand (L = 42 and 82), which HPKE itself only reaches through Export.
// https://www.rfc-editor.org/rfc/rfc5869#appendix-A
const range = (from: number, to: number) =>
  Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);
const RFC5869_CASES = [
  {
    name: 'A.1 (basic)',
    ikm: new Uint8Array(22).fill(0x0b),
    salt: range(0x00, 0x0c),
    info: range(0xf0, 0xf9),
    L: 42,
    prk: '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5',
    okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
  },
  {
    name: 'A.2 (longer inputs and outputs)',
    ikm: range(0x00, 0x4f),
    salt: range(0x60, 0xaf),
    info: range(0xb0, 0xff),
    L: 82,
    prk: undefined,
    okm:
      'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c' +
      '59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71' +
      'cc30c58179ec3e87c14c01d5c1f3434f1d87',
  },
  {
    name: 'A.3 (zero-length salt and info)',
    ikm: new Uint8Array(22).fill(0x0b),
    salt: new Uint8Array(0),
    info: new Uint8Array(0),
    L: 42,
    prk: '19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04',
    okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
  },
] as const;

describe.each(BACKENDS)('HKDF-SHA256 (RFC 5869 A.1-A.3) on the $name backend', (b) => {
  it.each(RFC5869_CASES)('$name', async (c) => {
    const kdf = hkdfSha256(b);
    const prk = await kdf.Extract(c.salt, c.ikm);
    if (c.prk) expect(toHex(prk)).toBe(c.prk);
    expect(toHex(await kdf.Expand(prk, c.info, c.L))).toBe(c.okm);
    // Shorter outputs are prefixes of longer ones.
    expect(toHex(await kdf.Expand(prk, c.info, 32))).toBe(c.okm.slice(0, 64));
    expect(toHex(await kdf.Expand(prk, c.info, 7))).toBe(c.okm.slice(0, 14));
  });

  it('refuses output lengths outside 1..255*32 and a short PRK', async () => {
    const kdf = hkdfSha256(b);
    const prk = new Uint8Array(32);
    await expect(kdf.Expand(prk, new Uint8Array(0), 0)).rejects.toThrow(RangeError);
    await expect(kdf.Expand(prk, new Uint8Array(0), 255 * 32 + 1)).rejects.toThrow(RangeError);
    expect((await kdf.Expand(prk, new Uint8Array(0), 255 * 32)).length).toBe(255 * 32);
    await expect(kdf.Expand(new Uint8Array(31), new Uint8Array(0), 32)).rejects.toThrow(RangeError);
  });
});

describe('RFC 9180 A.1.1 vector file', () => {
  it('is the base-mode DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM vector, complete', () => {
    expect(vector).toMatchObject({ mode: 0, kem_id: 0x20, kdf_id: 0x01, aead_id: 0x01 });
    expect(vector.source).toContain('RFC 9180 Appendix A.1.1');
    expect(vector.encryptions.map((e) => e.seq)).toEqual([0, 1, 2, 4, 255, 256]);
    expect(vector.exports.map((e) => e.exporter_context)).toEqual([
      '',
      '00',
      '54657374436f6e74657874',
    ]);
    for (const e of vector.encryptions) {
      // RFC 9180 A.1.1.1: aad = "Count-<seq>".
      expect(e.aad).toBe(toHex(utf8(`Count-${e.seq}`)));
      expect(hex(e.ct).length).toBe(hex(e.pt).length + 16);
    }
  });
});

describe.each(BACKENDS)('RFC 9180 A.1.1 through createWrapSuite on the $name backend', (b) => {
  it('has the suite ids of the vector', () => {
    const { suite } = katSuite(b);
    expect(suite.KEM.id).toBe(vector.kem_id);
    expect(suite.KDF.id).toBe(vector.kdf_id);
    expect(suite.AEAD.id).toBe(vector.aead_id);
    expect(createWrapSuite({ aead: 'aes-256-gcm', backend: b }).AEAD.id).toBe(0x0002);
  });

  it('DeriveKeyPair: ikmE gives skEm/pkEm and ikmR gives skRm/pkRm', async () => {
    const { suite } = katSuite(b);
    const e = await suite.DeriveKeyPair(hex(vector.ikmE), true);
    expect(toHex(await suite.SerializePrivateKey(e.privateKey as X25519Key))).toBe(vector.skEm);
    expect(toHex(await suite.SerializePublicKey(e.publicKey as X25519Key))).toBe(vector.pkEm);
    const r = await suite.DeriveKeyPair(hex(vector.ikmR), true);
    expect(toHex(await suite.SerializePrivateKey(r.privateKey as X25519Key))).toBe(vector.skRm);
    expect(toHex(await suite.SerializePublicKey(r.publicKey as X25519Key))).toBe(vector.pkRm);
  });

  it('the KEM gives the shared secret of the vector (Encap with skEm, Decap with skRm)', async () => {
    const kdf = hkdfSha256(b);
    const kem = dhkemX25519({
      backend: b,
      kdf,
      ephemeral: async () => ({
        privateKey: X25519Key.private(hex(vector.skEm)),
        publicKey: X25519Key.public(hex(vector.pkEm)),
      }),
    });
    const pkR = X25519Key.public(hex(vector.pkRm));
    const { shared_secret, enc } = await kem.Encap(pkR);
    expect(toHex(enc)).toBe(vector.enc);
    expect(toHex(shared_secret)).toBe(vector.shared_secret);
    const skR = X25519Key.private(hex(vector.skRm));
    expect(toHex(await kem.Decap(hex(vector.enc), skR, undefined))).toBe(vector.shared_secret);
    expect(toHex(await kem.Decap(hex(vector.enc), skR, pkR))).toBe(vector.shared_secret);
  });

  it('seals every listed encryption (sequence numbers included), opens them, and exports', async () => {
    const { suite, ephemeralCalls } = katSuite(b);
    const info = hex(vector.info);
    const pkR = await suite.DeserializePublicKey(hex(vector.pkRm));
    const { encapsulatedSecret, ctx: sender } = await suite.SetupSender(pkR, { info });
    expect(ephemeralCalls()).toBe(1);
    expect(toHex(encapsulatedSecret)).toBe(vector.enc);

    // The RFC lists sequence numbers 0, 1, 2, 4, 255, 256 of one sender context: the messages in
    // between were sealed too (same plaintext, aad "Count-<seq>"), they are just not printed.
    const listed = new Map(vector.encryptions.map((e) => [e.seq, e]));
    const last = Math.max(...listed.keys());
    const sealed: Sealed[] = [];
    for (let seq = 0; seq <= last; seq++) {
      const entry = listed.get(seq);
      const pt = hex(entry?.pt ?? vector.encryptions[0]!.pt);
      const aad = entry ? hex(entry.aad) : utf8(`Count-${seq}`);
      expect(sender.seq).toBe(seq);
      const ct = await sender.Seal(pt, aad);
      if (entry) expect(toHex(ct), `ciphertext of seq ${seq}`).toBe(entry.ct);
      sealed.push({ seq, aad, pt, ct });
    }
    expect(sender.seq).toBe(last + 1);

    // The listed key and nonces open the listed ciphertexts (a check of the vector itself).
    for (const e of vector.encryptions) {
      expect(toHex(await b.aesGcmOpen(hex(vector.key), hex(e.nonce), hex(e.aad), hex(e.ct)))).toBe(
        e.pt,
      );
    }

    const skR = await suite.DeserializePrivateKey(hex(vector.skRm), false);
    const recipient = await suite.SetupRecipient(skR, hex(vector.enc), { info });
    for (const { seq, aad, pt, ct } of sealed) {
      expect(recipient.seq).toBe(seq);
      expect(toHex(await recipient.Open(ct, aad)), `plaintext of seq ${seq}`).toBe(toHex(pt));
    }
    expect(recipient.seq).toBe(last + 1);

    for (const x of vector.exports) {
      const context = hex(x.exporter_context);
      expect(
        toHex(await sender.Export(context, x.L)),
        `sender export "${x.exporter_context}"`,
      ).toBe(x.exported_value);
      expect(
        toHex(await recipient.Export(context, x.L)),
        `recipient export "${x.exporter_context}"`,
      ).toBe(x.exported_value);
    }
  });

  it('a recipient holding the whole key pair (no scalar multiplication for pkR) opens and exports the same', async () => {
    const { suite } = katSuite(b);
    const recipient = await suite.SetupRecipient(
      await suite.DeriveKeyPair(hex(vector.ikmR)),
      hex(vector.enc),
      { info: hex(vector.info) },
    );
    const first = vector.encryptions[0]!;
    expect(toHex(await recipient.Open(hex(first.ct), hex(first.aad)))).toBe(first.pt);
    const x = vector.exports[0]!;
    expect(toHex(await recipient.Export(hex(x.exporter_context), x.L))).toBe(x.exported_value);
  });

  it('refuses the seq-0 ciphertext with any one bit flipped, then still opens the original', async () => {
    const { suite } = katSuite(b);
    const skR = await suite.DeserializePrivateKey(hex(vector.skRm), false);
    const recipient = await suite.SetupRecipient(skR, hex(vector.enc), { info: hex(vector.info) });
    const first = vector.encryptions[0]!;
    const ct = hex(first.ct);
    const aad = hex(first.aad);
    for (let bit = 0; bit < ct.length * 8; bit++) {
      const failure = await recipient.Open(flipBit(ct, bit), aad).then(
        () => new Error(`bit ${bit}: opened an altered ciphertext`),
        (error: unknown) => error,
      );
      expect(failure, `bit ${bit}`).toBeInstanceOf(OpenError);
      expect(isCryptoError((failure as OpenError).cause, CryptoErrorCode.DecryptionFailed)).toBe(
        true,
      );
    }
    // Failed opens do not advance the sequence number.
    expect(recipient.seq).toBe(0);
    expect(toHex(await recipient.Open(ct, aad))).toBe(first.pt);
  });

  it('refuses the seq-0 ciphertext under another aad, info or enc', async () => {
    const { suite } = katSuite(b);
    const skR = await suite.DeserializePrivateKey(hex(vector.skRm), false);
    const first = vector.encryptions[0]!;
    const info = hex(vector.info);
    const enc = hex(vector.enc);

    const wrongAad = await suite.SetupRecipient(skR, enc, { info });
    await expect(wrongAad.Open(hex(first.ct), utf8('Count-1'))).rejects.toBeInstanceOf(OpenError);

    const wrongInfo = await suite.SetupRecipient(skR, enc, { info: flipBit(info, 0) });
    await expect(wrongInfo.Open(hex(first.ct), hex(first.aad))).rejects.toBeInstanceOf(OpenError);

    const wrongEnc = await suite.SetupRecipient(skR, flipBit(enc, 0), { info });
    await expect(wrongEnc.Open(hex(first.ct), hex(first.aad))).rejects.toBeInstanceOf(OpenError);
  });
});
