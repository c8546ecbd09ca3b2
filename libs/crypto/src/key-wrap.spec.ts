import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { EncapError } from 'hpke';
import { beforeAll, describe, expect, it } from 'vitest';

import { nodeBackend, portableBackend, type CryptoBackend } from './backends.js';
import { fromHex, toHex, utf8 } from './bytes.js';
import { canonicalJsonBytes } from './canonical-json.js';
import { CryptoErrorCode } from './errors.js';
import { X25519Key } from './hpke/dhkem-x25519.js';
import { createWrapSuite, wrapSuite } from './hpke/native-suite.js';
import {
  openFromSender,
  sealToRecipient,
  unwrapKey,
  WRAPPED_KEY_LENGTH,
  wrapKey,
  type WrapContext,
} from './key-wrap.js';
import type { EncryptionKeyPair } from './participant-keys.js';
import { SuiteName, SuiteTag } from './suite.js';
import { flipBit, rejection, withBackend, useBackendInSuite } from '../test/support.js';

const BACKENDS: readonly CryptoBackend[] = [nodeBackend, portableBackend];
const MAX_PLAINTEXT = 16 * 1024 * 1024;
const HEADER = 1 + 32;
const TAG = 16;

interface LowOrderPoints {
  readonly points: readonly { readonly name: string; readonly u: string }[];
}
const lowOrder = (
  JSON.parse(
    readFileSync(new URL('../test/vectors/x25519-low-order.json', import.meta.url), 'utf8'),
  ) as LowOrderPoints
).points.map((p) => ({ name: p.name, u: fromHex('vector', p.u) }));

const context: WrapContext = {
  purpose: 'record-dek',
  recordId: '0191d6a8-7d1e-7c3a-9f2b-3c4d5e6f7a8b',
  patientId: '0191d6a8-0000-7000-8000-000000000001',
};

function keyPair(b: CryptoBackend): EncryptionKeyPair {
  const secretKey = b.randomBytes(32);
  return { secretKey, publicKey: b.x25519PublicKey(secretKey) };
}

const WELL_FORMED = /^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
const textArb = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 30 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
  )
  .filter((s) => s.length <= 256 && WELL_FORMED.test(s));
const idKeyArb = textArb.filter((k) => k !== 'suite' && k !== 'purpose');
const contextArb: fc.Arbitrary<WrapContext> = fc
  .record({
    purpose: textArb,
    ids: fc.uniqueArray(fc.tuple(idKeyArb, textArb), { maxLength: 5, selector: ([k]) => k }),
  })
  .map(({ purpose, ids }) => ({ ...Object.fromEntries(ids), purpose }));
const key32Arb = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe.each(BACKENDS)('key wrapping on the $name backend', (b) => {
  useBackendInSuite(b);

  it('wrapKey/unwrapKey round-trip with the secret key and with the key pair', async () => {
    await fc.assert(
      fc.asyncProperty(key32Arb, contextArb, async (key, ctx) => {
        const recipient = keyPair(b);
        const wrapped = await wrapKey(recipient.publicKey, key, ctx);
        expect(wrapped.length).toBe(WRAPPED_KEY_LENGTH);
        expect(toHex(await unwrapKey(recipient.secretKey, wrapped, ctx))).toBe(toHex(key));
        expect(toHex(await unwrapKey(recipient, wrapped, ctx))).toBe(toHex(key));
      }),
      { numRuns: 50 },
    );
  });

  it('sealToRecipient/openFromSender round-trip with and without aad, empty plaintext too', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2000 }),
        fc.option(fc.uint8Array({ maxLength: 100 }), { nil: undefined }),
        contextArb,
        async (plaintext, aad, ctx) => {
          const recipient = keyPair(b);
          const sealed = await sealToRecipient(recipient.publicKey, plaintext, ctx, aad);
          expect(sealed.length).toBe(HEADER + plaintext.length + TAG);
          expect(sealed[0]).toBe(SuiteTag.HpkeWrapV1);
          const opened = await openFromSender(recipient.secretKey, sealed, ctx, aad);
          expect(toHex(opened)).toBe(toHex(plaintext));
          expect(toHex(await openFromSender(recipient, sealed, ctx, aad))).toBe(toHex(plaintext));
        },
      ),
      { numRuns: 50 },
    );
    const recipient = keyPair(b);
    const empty = await sealToRecipient(recipient.publicKey, new Uint8Array(0), context);
    expect(empty.length).toBe(HEADER + TAG);
    expect(await openFromSender(recipient.secretKey, empty, context)).toEqual(new Uint8Array(0));
    // No aad and an empty aad are the same thing.
    expect(await openFromSender(recipient.secretKey, empty, context, new Uint8Array(0))).toEqual(
      new Uint8Array(0),
    );
  });

  it('has the documented layout: tag 0x21 ‖ enc ‖ AES-256-GCM ciphertext, info = JCS {suite, ...context}', async () => {
    expect(WRAPPED_KEY_LENGTH).toBe(81);
    expect(wrapSuite().AEAD.id).toBe(0x0002);
    const recipient = keyPair(b);
    const key = b.randomBytes(32);
    const wrapped = await wrapKey(recipient.publicKey, key, context);
    expect(wrapped.length).toBe(WRAPPED_KEY_LENGTH);
    expect(wrapped[0]).toBe(SuiteTag.HpkeWrapV1);

    // Opened by hand with the HPKE suite: enc is bytes 1..32, the rest is the HPKE ciphertext.
    const info = canonicalJsonBytes({ ...context, suite: SuiteName.HpkeWrapV1 });
    expect(new TextDecoder().decode(info)).toBe(
      '{"patientId":"0191d6a8-0000-7000-8000-000000000001","purpose":"record-dek",' +
        '"recordId":"0191d6a8-7d1e-7c3a-9f2b-3c4d5e6f7a8b",' +
        '"suite":"sh1-hpke-x25519-hkdfsha256-aes256gcm"}',
    );
    const suite = createWrapSuite({ aead: 'aes-256-gcm', backend: b });
    const skR = X25519Key.private(recipient.secretKey);
    const ctx = await suite.SetupRecipient(skR, wrapped.subarray(1, HEADER), { info });
    expect(toHex(await ctx.Open(wrapped.subarray(HEADER)))).toBe(toHex(key));

    // The AES-128-GCM (RFC 9180 A.1) suite is a different suite: it cannot open it.
    const aes128 = createWrapSuite({ aead: 'aes-128-gcm', backend: b });
    await expect(
      aes128
        .SetupRecipient(skR, wrapped.subarray(1, HEADER), { info })
        .then((c) => c.Open(wrapped.subarray(HEADER))),
    ).rejects.toThrow();
  });

  it('uses a fresh ephemeral key for every wrap', async () => {
    const recipient = keyPair(b);
    const key = b.randomBytes(32);
    const a = await wrapKey(recipient.publicKey, key, context);
    const c = await wrapKey(recipient.publicKey, key, context);
    expect(toHex(a.subarray(1, HEADER))).not.toBe(toHex(c.subarray(1, HEADER)));
    expect(toHex(a.subarray(HEADER))).not.toBe(toHex(c.subarray(HEADER)));
  });

  it('ignores the order of context keys (canonical JSON)', async () => {
    const recipient = keyPair(b);
    const key = b.randomBytes(32);
    const wrapped = await wrapKey(recipient.publicKey, key, context);
    const reordered: WrapContext = {
      recordId: context['recordId']!,
      patientId: context['patientId']!,
      purpose: context.purpose,
    };
    expect(toHex(await unwrapKey(recipient.secretKey, wrapped, reordered))).toBe(toHex(key));
  });

  it('rejects every single flipped bit of a wrapped key (suite byte: UnsupportedSuite)', async () => {
    const recipient = keyPair(b);
    const wrapped = await wrapKey(recipient.publicKey, b.randomBytes(32), context);
    // Exhaustive: all 648 bits, including bit 255 of enc, which X25519 itself ignores.
    for (let bit = 0; bit < WRAPPED_KEY_LENGTH * 8; bit++) {
      const error = await rejection(unwrapKey(recipient, flipBit(wrapped, bit), context));
      expect(error.code, `bit ${bit}`).toBe(
        bit < 8 ? CryptoErrorCode.UnsupportedSuite : CryptoErrorCode.UnwrapFailed,
      );
    }
  });

  it('rejects one flipped bit anywhere in any wrapped key or sealed message', async () => {
    await fc.assert(
      fc.asyncProperty(
        key32Arb,
        fc.uint8Array({ maxLength: 200 }),
        contextArb,
        fc.nat(),
        fc.nat(),
        async (key, plaintext, ctx, at1, at2) => {
          const recipient = keyPair(b);
          const wrapped = await wrapKey(recipient.publicKey, key, ctx);
          const bit = at1 % (wrapped.length * 8);
          const error = await rejection(unwrapKey(recipient.secretKey, flipBit(wrapped, bit), ctx));
          expect(error.code).toBe(
            bit < 8 ? CryptoErrorCode.UnsupportedSuite : CryptoErrorCode.UnwrapFailed,
          );

          const sealed = await sealToRecipient(recipient.publicKey, plaintext, ctx);
          const bit2 = at2 % (sealed.length * 8);
          const error2 = await rejection(
            openFromSender(recipient.secretKey, flipBit(sealed, bit2), ctx),
          );
          expect(error2.code).toBe(
            bit2 < 8 ? CryptoErrorCode.UnsupportedSuite : CryptoErrorCode.UnwrapFailed,
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it('fails with UnwrapFailed when any context value (purpose too) differs', async () => {
    await fc.assert(
      fc.asyncProperty(contextArb, fc.nat(), textArb, async (ctx, which, replacement) => {
        const names = Object.keys(ctx);
        const name = names[which % names.length]!;
        fc.pre(ctx[name] !== replacement);
        const recipient = keyPair(b);
        const wrapped = await wrapKey(recipient.publicKey, b.randomBytes(32), ctx);
        const changed: WrapContext = { ...ctx, [name]: replacement };
        const error = await rejection(unwrapKey(recipient, wrapped, changed));
        expect(error.code).toBe(CryptoErrorCode.UnwrapFailed);

        const sealed = await sealToRecipient(recipient.publicKey, utf8('shares'), ctx);
        const error2 = await rejection(openFromSender(recipient, sealed, changed));
        expect(error2.code).toBe(CryptoErrorCode.UnwrapFailed);
      }),
      { numRuns: 50 },
    );
  });

  it('fails with UnwrapFailed when a context id is added, removed or renamed', async () => {
    const recipient = keyPair(b);
    const wrapped = await wrapKey(recipient.publicKey, b.randomBytes(32), context);
    const { recordId, ...withoutRecord } = context;
    const variants: WrapContext[] = [
      { ...context, grantId: 'g-1' },
      withoutRecord,
      { ...withoutRecord, recordID: recordId! },
      { purpose: context.purpose },
      { ...context, purpose: 'share-bundle' },
      // Ids swapped between fields.
      { ...context, recordId: context['patientId']!, patientId: recordId! },
    ];
    for (const variant of variants) {
      const error = await rejection(unwrapKey(recipient.secretKey, wrapped, variant));
      expect(error.code, JSON.stringify(variant)).toBe(CryptoErrorCode.UnwrapFailed);
    }
  });

  it('fails with UnwrapFailed under a wrong recipient key', async () => {
    await fc.assert(
      fc.asyncProperty(key32Arb, async (key) => {
        const recipient = keyPair(b);
        const other = keyPair(b);
        const wrapped = await wrapKey(recipient.publicKey, key, context);
        for (const wrong of [
          other.secretKey,
          other,
          // The right secret key with another public key: the KEM context no longer matches.
          { secretKey: recipient.secretKey, publicKey: other.publicKey },
          { secretKey: other.secretKey, publicKey: recipient.publicKey },
        ]) {
          const error = await rejection(unwrapKey(wrong, wrapped, context));
          expect(error.code).toBe(CryptoErrorCode.UnwrapFailed);
        }
        const sealed = await sealToRecipient(recipient.publicKey, key, context, utf8('aad'));
        const error = await rejection(openFromSender(other, sealed, context, utf8('aad')));
        expect(error.code).toBe(CryptoErrorCode.UnwrapFailed);
      }),
      { numRuns: 25 },
    );
  });

  it('fails with UnwrapFailed when the aad differs, is added or is left out', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 100 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ maxLength: 64 }),
        async (plaintext, aad, otherAad) => {
          fc.pre(toHex(aad) !== toHex(otherAad));
          const recipient = keyPair(b);
          const sealed = await sealToRecipient(recipient.publicKey, plaintext, context, aad);
          const error = await rejection(openFromSender(recipient, sealed, context, otherAad));
          expect(error.code).toBe(CryptoErrorCode.UnwrapFailed);
          expect(error.message).toContain('aad');
          if (aad.length > 0) {
            const omitted = await rejection(openFromSender(recipient, sealed, context));
            expect(omitted.code).toBe(CryptoErrorCode.UnwrapFailed);
          }
        },
      ),
      { numRuns: 50 },
    );
    const recipient = keyPair(b);
    const noAad = await sealToRecipient(recipient.publicKey, utf8('x'), context);
    const added = await rejection(openFromSender(recipient, noAad, context, utf8('aad')));
    expect(added.code).toBe(CryptoErrorCode.UnwrapFailed);
  });

  it('fails with UnwrapFailed when enc is replaced by a low-order point', async () => {
    const recipient = keyPair(b);
    const wrapped = await wrapKey(recipient.publicKey, b.randomBytes(32), context);
    const sealed = await sealToRecipient(recipient.publicKey, utf8('x'), context);
    for (const { name, u } of lowOrder) {
      const badWrapped = wrapped.slice();
      badWrapped.set(u, 1);
      const badSealed = sealed.slice();
      badSealed.set(u, 1);
      expect((await rejection(unwrapKey(recipient, badWrapped, context))).code, name).toBe(
        CryptoErrorCode.UnwrapFailed,
      );
      expect((await rejection(openFromSender(recipient, badSealed, context))).code, name).toBe(
        CryptoErrorCode.UnwrapFailed,
      );
    }
  });

  it.each(lowOrder)(
    'refuses the low-order recipient public key $name with WeakKey',
    async ({ u }) => {
      for (const call of [
        () => wrapKey(u, b.randomBytes(32), context),
        () => sealToRecipient(u, utf8('x'), context),
      ]) {
        const error = await rejection(call());
        expect(error.code).toBe(CryptoErrorCode.WeakKey);
        expect(error.details).toEqual({ parameter: 'recipientPublicKey', reason: 'small-order' });
        expect(error.message).toMatch(/^recipientPublicKey: is an X25519 point of small order/);
      }
    },
  );

  it('refuses a recipient key in a non-canonical encoding (bit 255 set, or u >= p)', async () => {
    const recipient = keyPair(b);
    const highBit = recipient.publicKey.slice();
    highBit[31]! |= 0x80;
    // u = p + 9 is the base point's u, read mod p (RFC 7748 section 5).
    const aliasOfNine = fromHex(
      'u',
      'f6ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    );
    for (const u of [highBit, aliasOfNine]) {
      for (const call of [
        () => wrapKey(u, b.randomBytes(32), context),
        () => sealToRecipient(u, utf8('x'), context),
      ]) {
        const error = await rejection(call());
        expect(error.code).toBe(CryptoErrorCode.WeakKey);
        expect(error.details).toEqual({ parameter: 'recipientPublicKey', reason: 'non-canonical' });
      }
    }
  });

  it.each(lowOrder)(
    'the KEM itself refuses the all-zero shared secret of $name (below the key checks)',
    async ({ u }) => {
      const suite = createWrapSuite({ aead: 'aes-256-gcm', backend: b });
      const failure = await suite.SetupSender(X25519Key.public(u), { info: utf8('info') }).then(
        () => new Error('encapsulated to a low-order key'),
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(EncapError);
      expect((failure as EncapError).cause).toMatchObject({
        code: CryptoErrorCode.InvalidInput,
        message: 'publicKey: is a low-order X25519 point (shared secret is zero)',
      });
    },
  );

  it('does not put key material, plaintext or context ids in error messages', async () => {
    const recipient = keyPair(b);
    const sealed = await sealToRecipient(recipient.publicKey, utf8('HIV-POSITIVE'), context);
    const error = await rejection(openFromSender(keyPair(b), sealed, context));
    const text = JSON.stringify([error.message, error.details]);
    expect(text).not.toContain('HIV');
    expect(text).not.toContain(context['recordId']);
    expect(text).not.toContain(toHex(recipient.secretKey));
  });
});

describe('key wrapping across backends', () => {
  it('a key wrapped or a message sealed on one backend opens on the other', async () => {
    await fc.assert(
      fc.asyncProperty(
        key32Arb,
        fc.uint8Array({ maxLength: 500 }),
        fc.uint8Array({ maxLength: 50 }),
        contextArb,
        async (key, plaintext, aad, ctx) => {
          for (const [from, to] of [
            [nodeBackend, portableBackend],
            [portableBackend, nodeBackend],
          ] as const) {
            const recipient = keyPair(from);
            const wrapped = await withBackend(from, () => wrapKey(recipient.publicKey, key, ctx));
            const unwrapped = await withBackend(to, () => unwrapKey(recipient, wrapped, ctx));
            expect(toHex(unwrapped)).toBe(toHex(key));
            const sealed = await withBackend(from, () =>
              sealToRecipient(recipient.publicKey, plaintext, ctx, aad),
            );
            const opened = await withBackend(to, () =>
              openFromSender(recipient.secretKey, sealed, ctx, aad),
            );
            expect(toHex(opened)).toBe(toHex(plaintext));
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('createWrapSuite contexts on the two backends interoperate (messages in sequence, exports)', async () => {
    const info = utf8('cross-backend');
    for (const [from, to] of [
      [nodeBackend, portableBackend],
      [portableBackend, nodeBackend],
    ] as const) {
      for (const aead of ['aes-256-gcm', 'aes-128-gcm'] as const) {
        const sender = createWrapSuite({ aead, backend: from });
        const receiver = createWrapSuite({ aead, backend: to });
        const recipient = await receiver.GenerateKeyPair();
        const pkR = await sender.DeserializePublicKey(
          await receiver.SerializePublicKey(recipient.publicKey as X25519Key),
        );
        const { encapsulatedSecret, ctx } = await sender.SetupSender(pkR, { info });
        const rctx = await receiver.SetupRecipient(recipient, encapsulatedSecret, { info });
        for (let i = 0; i < 5; i++) {
          const pt = utf8(`message ${i}`);
          const ct = await ctx.Seal(pt, utf8(`aad ${i}`));
          expect(toHex(await rctx.Open(ct, utf8(`aad ${i}`)))).toBe(toHex(pt));
        }
        expect(toHex(await rctx.Export(utf8('e'), 42))).toBe(
          toHex(await ctx.Export(utf8('e'), 42)),
        );
      }
    }
  });

  it('both backends refuse the same low-order recipient keys', async () => {
    for (const b of BACKENDS) {
      for (const { u } of lowOrder) {
        const error = await rejection(
          withBackend(b, () => wrapKey(u, new Uint8Array(32), context)),
        );
        expect(error.code).toBe(CryptoErrorCode.WeakKey);
      }
    }
  });
});

describe('key wrapping input validation', () => {
  const recipient = keyPair(nodeBackend);
  const key = nodeBackend.randomBytes(32);
  let wrapped: Uint8Array;
  let sealed: Uint8Array;
  beforeAll(async () => {
    wrapped = await wrapKey(recipient.publicKey, key, context);
    sealed = await sealToRecipient(recipient.publicKey, utf8('payload'), context);
  });

  type Call = () => Promise<unknown>;
  const tooManyKeys = (n: number): WrapContext => ({
    ...Object.fromEntries(Array.from({ length: n - 1 }, (_, i) => [`id${i}`, `v${i}`])),
    purpose: 'p',
  });
  const invalid: [string, string, Call][] = [
    [
      'recipientPublicKey',
      'recipientPublicKey: expected 32 bytes, got 31',
      () => wrapKey(new Uint8Array(31), key, context),
    ],
    [
      'recipientPublicKey',
      'recipientPublicKey: expected 32 bytes, got 33',
      () => wrapKey(new Uint8Array(33), key, context),
    ],
    [
      'recipientPublicKey',
      'recipientPublicKey: expected a Uint8Array, got an array',
      () => wrapKey(Array.from(recipient.publicKey) as never, key, context),
    ],
    [
      'recipientPublicKey',
      'recipientPublicKey: expected a Uint8Array, got string',
      () => sealToRecipient(toHex(recipient.publicKey) as never, utf8('x'), context),
    ],
    [
      'recipientPublicKey',
      'recipientPublicKey: expected 32 bytes, got 31',
      () => sealToRecipient(new Uint8Array(31), utf8('x'), context),
    ],
    [
      'recipientPublicKey',
      'recipientPublicKey: expected 32 bytes, got 33',
      () => sealToRecipient(new Uint8Array(33), utf8('x'), context),
    ],
    [
      'key',
      'key: expected 32 bytes, got 31',
      () => wrapKey(recipient.publicKey, key.slice(1), context),
    ],
    [
      'key',
      'key: expected 32 bytes, got 33',
      () => wrapKey(recipient.publicKey, new Uint8Array(33), context),
    ],
    [
      'key',
      'key: expected 32 bytes, got 0',
      () => wrapKey(recipient.publicKey, new Uint8Array(0), context),
    ],
    [
      'key',
      'key: expected a Uint8Array, got undefined',
      () => wrapKey(recipient.publicKey, undefined as never, context),
    ],
    [
      'plaintext',
      'plaintext: expected a Uint8Array, got string',
      () => sealToRecipient(recipient.publicKey, 'x' as never, context),
    ],
    [
      'aad',
      'aad: expected a Uint8Array, got string',
      () => sealToRecipient(recipient.publicKey, utf8('x'), context, 'aad' as never),
    ],
    [
      'aad',
      'aad: expected a Uint8Array, got null',
      () => openFromSender(recipient, sealed, context, null as never),
    ],
    [
      'recipient',
      'recipient: expected 32 bytes, got 31',
      () => unwrapKey(recipient.secretKey.slice(1), wrapped, context),
    ],
    [
      'recipient',
      'recipient: expected a 32-byte X25519 secret key or an EncryptionKeyPair',
      () => unwrapKey('secret' as never, wrapped, context),
    ],
    [
      'recipient.publicKey',
      'recipient.publicKey: expected 32 bytes, got 33',
      () =>
        openFromSender(
          { secretKey: recipient.secretKey, publicKey: new Uint8Array(33) },
          sealed,
          context,
        ),
    ],
    [
      'recipient.secretKey',
      'recipient.secretKey: expected a Uint8Array, got undefined',
      () => unwrapKey({ secretKey: undefined } as never, wrapped, context),
    ],
    [
      'wrapped',
      'wrapped: expected a Uint8Array, got an array',
      () => unwrapKey(recipient, Array.from(wrapped) as never, context),
    ],
    [
      'sealed',
      'sealed: expected a Uint8Array, got undefined',
      () => openFromSender(recipient, undefined as never, context),
    ],
    [
      'context',
      'context: expected a plain object of string values',
      () => wrapKey(recipient.publicKey, key, null as never),
    ],
    [
      'context',
      'context: expected a plain object of string values',
      () => wrapKey(recipient.publicKey, key, ['record-dek'] as never),
    ],
    [
      'context',
      'context: expected a plain object of string values',
      () => unwrapKey(recipient, wrapped, new Map([['purpose', 'x']]) as never),
    ],
    [
      'context.purpose',
      'context.purpose: is required',
      () => wrapKey(recipient.publicKey, key, { recordId: 'r' } as never),
    ],
    [
      'context.purpose',
      'context.purpose: is required',
      () => unwrapKey(recipient, wrapped, {} as never),
    ],
    [
      'context.purpose',
      'context.purpose: is required',
      () => sealToRecipient(recipient.publicKey, utf8('x'), { recordId: 'r' } as never),
    ],
    [
      'context.purpose',
      'context.purpose: must not be empty',
      () => wrapKey(recipient.publicKey, key, { purpose: '' }),
    ],
    [
      'context.purpose',
      'context.purpose: expected a string, got number',
      () => wrapKey(recipient.publicKey, key, { purpose: 1 } as never),
    ],
    [
      'context.recordId',
      'context.recordId: expected a string, got number',
      () => wrapKey(recipient.publicKey, key, { purpose: 'p', recordId: 7 } as never),
    ],
    [
      'context.recordId',
      'context.recordId: expected a string, got undefined',
      () => unwrapKey(recipient, wrapped, { ...context, recordId: undefined } as never),
    ],
    [
      'context.recordId',
      'context.recordId: expected a string, got null',
      () => openFromSender(recipient, sealed, { ...context, recordId: null } as never),
    ],
    [
      'context.recordId',
      'context.recordId: expected a string, got Object',
      () => wrapKey(recipient.publicKey, key, { purpose: 'p', recordId: { id: 'r' } } as never),
    ],
    [
      'context.recordId',
      'context.recordId: longer than 256 characters',
      () => wrapKey(recipient.publicKey, key, { purpose: 'p', recordId: 'r'.repeat(257) }),
    ],
    [
      'context.recordId',
      'context.recordId: contains a lone surrogate (not valid Unicode text)',
      () => wrapKey(recipient.publicKey, key, { purpose: 'p', recordId: 'r\uDC00' }),
    ],
    [
      'context.suite',
      'context.suite: is reserved for the suite name',
      () => wrapKey(recipient.publicKey, key, { ...context, suite: SuiteName.HpkeWrapV1 }),
    ],
    [
      'context.suite',
      'context.suite: is reserved for the suite name',
      () => unwrapKey(recipient, wrapped, { ...context, suite: 'x' }),
    ],
    [
      'context',
      'context: has 17 keys, at most 16 allowed',
      () => wrapKey(recipient.publicKey, key, tooManyKeys(17)),
    ],
    [
      'context',
      'context: has 17 keys, at most 16 allowed',
      () => openFromSender(recipient, sealed, tooManyKeys(17)),
    ],
    [
      'context',
      'context: keys must be 1 to 256 characters of well-formed text',
      () => wrapKey(recipient.publicKey, key, { ...context, '': 'x' }),
    ],
    [
      'context',
      'context: keys must be 1 to 256 characters of well-formed text',
      () => wrapKey(recipient.publicKey, key, { ...context, ['k'.repeat(257)]: 'x' }),
    ],
    [
      'context',
      'context: keys must be 1 to 256 characters of well-formed text',
      () => wrapKey(recipient.publicKey, key, { ...context, 'k\uD800': 'x' }),
    ],
  ];

  it.each(invalid)('rejects a bad %s: "%s"', async (parameter, message, call) => {
    const error = await rejection(call());
    expect(error.code).toBe(CryptoErrorCode.InvalidInput);
    expect(error.message).toBe(message);
    expect(error.details['parameter']).toBe(parameter);
  });

  it('accepts the largest context: 16 keys of 256 characters, values of 256 characters', async () => {
    const big: WrapContext = {
      ...Object.fromEntries(
        Array.from({ length: 15 }, (_, i) => [
          `${String.fromCharCode(0x41 + i)}${'\u0001'.repeat(255)}`,
          '\u001f'.repeat(256),
        ]),
      ),
      purpose: '\u20ac'.repeat(256),
    };
    expect(Object.keys(big)).toHaveLength(16);
    const w = await wrapKey(recipient.publicKey, key, big);
    expect(toHex(await unwrapKey(recipient, w, big))).toBe(toHex(key));
  });

  it.each([0, 1, 32, 33, 48, 49, 80, 82])(
    'rejects a wrapped key of %i bytes as Malformed',
    async (length) => {
      const bytes = new Uint8Array(length);
      bytes.set(wrapped.subarray(0, length));
      if (length > 0) bytes[0] = SuiteTag.HpkeWrapV1;
      const error = await rejection(unwrapKey(recipient, bytes, context));
      expect(error.code).toBe(CryptoErrorCode.Malformed);
      expect(error.details).toEqual({ parameter: 'wrapped', length });
      expect(error.message).toBe(`wrapped key is ${length} bytes, expected ${WRAPPED_KEY_LENGTH}`);
    },
  );

  it.each([0, 1, 32, 33, 48])(
    'rejects a sealed message of %i bytes as Malformed',
    async (length) => {
      const error = await rejection(openFromSender(recipient, sealed.slice(0, length), context));
      expect(error.code).toBe(CryptoErrorCode.Malformed);
      expect(error.details).toEqual({ parameter: 'sealed', length });
    },
  );

  it.each([0x00, SuiteTag.RecordEnvelopeV1, 0x20, 0x22, 0xff])(
    'rejects suite tag 0x%s as UnsupportedSuite',
    async (tag) => {
      const hex = tag.toString(16).padStart(2, '0');
      for (const [parameter, bytes, call] of [
        ['wrapped', wrapped, (v: Uint8Array) => unwrapKey(recipient, v, context)],
        ['sealed', sealed, (v: Uint8Array) => openFromSender(recipient, v, context)],
        // The tag is checked before the length: a truncated value with a foreign tag is foreign.
        ['wrapped', wrapped.slice(0, 5), (v: Uint8Array) => unwrapKey(recipient, v, context)],
      ] as const) {
        const other = bytes.slice();
        other[0] = tag;
        const error = await rejection(call(other));
        expect(error.code).toBe(CryptoErrorCode.UnsupportedSuite);
        expect(error.details).toEqual({ parameter, tag });
        expect(error.message).toBe(
          `${parameter}: unknown suite tag 0x${hex}, expected 0x21 (${SuiteName.HpkeWrapV1})`,
        );
      }
    },
  );

  it('limits plaintext to 16 MiB and sealed messages to 16 MiB + 49 bytes', async () => {
    const error = await rejection(
      sealToRecipient(recipient.publicKey, new Uint8Array(MAX_PLAINTEXT + 1), context),
    );
    expect(error.code).toBe(CryptoErrorCode.InvalidInput);
    expect(error.details['parameter']).toBe('plaintext');
    expect(error.message).toBe(
      `plaintext: is ${MAX_PLAINTEXT + 1} bytes, at most ${MAX_PLAINTEXT} allowed`,
    );

    // Exactly at the limit seals and opens; one more byte of sealed message is Malformed.
    const largest = await sealToRecipient(
      recipient.publicKey,
      new Uint8Array(MAX_PLAINTEXT),
      context,
    );
    expect(largest.length).toBe(MAX_PLAINTEXT + HEADER + TAG);
    expect((await openFromSender(recipient, largest, context)).length).toBe(MAX_PLAINTEXT);
    const tooLong = new Uint8Array(largest.length + 1);
    tooLong.set(largest);
    const malformed = await rejection(openFromSender(recipient, tooLong, context));
    expect(malformed.code).toBe(CryptoErrorCode.Malformed);
    expect(malformed.details).toEqual({ parameter: 'sealed', length: largest.length + 1 });
  });
});
