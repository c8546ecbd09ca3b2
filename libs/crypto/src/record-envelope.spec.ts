import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

import { nodeBackend, portableBackend, type CryptoBackend } from './backends.js';
import { toHex, utf8 } from './bytes.js';
import { CryptoErrorCode } from './errors.js';
import { generateDataKey } from './random.js';
import {
  decryptRecord,
  encryptRecord,
  MAX_RECORD_BYTES,
  RECORD_ENVELOPE_OVERHEAD,
  recordAad,
  type RecordBinding,
} from './record-envelope.js';
import { SuiteTag } from './suite.js';
import { flipBit, rejection, withBackend, useBackendInSuite } from '../test/support.js';

const BACKENDS: readonly CryptoBackend[] = [nodeBackend, portableBackend];

const binding: RecordBinding = {
  recordId: '0191d6a8-7d1e-7c3a-9f2b-3c4d5e6f7a8b',
  patientId: '0191d6a8-0000-7000-8000-000000000001',
  version: 1,
  contentType: 'application/fhir+json',
};

const bindingArb = fc.record({
  recordId: fc.string({ minLength: 1, maxLength: 40 }),
  patientId: fc.string({ minLength: 1, maxLength: 40 }),
  version: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
  contentType: fc.constantFrom('application/fhir+json', 'application/pdf', 'image/dicom'),
});

describe('recordAad', () => {
  it('is the RFC 8785 canonical JSON of the four binding fields', () => {
    expect(new TextDecoder().decode(recordAad(binding))).toBe(
      '{"contentType":"application/fhir+json","patientId":"0191d6a8-0000-7000-8000-000000000001",' +
        '"recordId":"0191d6a8-7d1e-7c3a-9f2b-3c4d5e6f7a8b","version":1}',
    );
    const reordered = {
      version: binding.version,
      contentType: binding.contentType,
      patientId: binding.patientId,
      recordId: binding.recordId,
    };
    expect(toHex(recordAad(reordered))).toBe(toHex(recordAad(binding)));
  });
});

describe.each(BACKENDS)('record envelope on the $name backend', (b) => {
  useBackendInSuite(b);

  it('round-trips any plaintext (empty too) and has the documented layout', async () => {
    await fc.assert(
      fc.asyncProperty(bindingArb, fc.uint8Array({ maxLength: 2000 }), async (bound, plaintext) => {
        const key = generateDataKey();
        const envelope = await encryptRecord(key, bound, plaintext);
        expect(envelope.length).toBe(plaintext.length + RECORD_ENVELOPE_OVERHEAD);
        expect(envelope[0]).toBe(SuiteTag.RecordEnvelopeV1);
        expect(toHex(await decryptRecord(key, bound, envelope))).toBe(toHex(plaintext));
      }),
      { numRuns: 50 },
    );
  });

  it('uses a fresh nonce for every encryption', async () => {
    const key = generateDataKey();
    const plaintext = utf8('{"resourceType":"Patient"}');
    const a = await encryptRecord(key, binding, plaintext);
    const c = await encryptRecord(key, binding, plaintext);
    expect(toHex(a.subarray(1, 13))).not.toBe(toHex(c.subarray(1, 13)));
    expect(toHex(a)).not.toBe(toHex(c));
  });

  it('detects one flipped bit anywhere in the envelope with a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.nat(), async (plaintext, at) => {
        const key = generateDataKey();
        const envelope = await encryptRecord(key, binding, plaintext);
        const bit = at % (envelope.length * 8);
        const error = await rejection(decryptRecord(key, binding, flipBit(envelope, bit)));
        // The suite byte is checked first; every other bit is covered by the GCM tag.
        expect(error.code).toBe(
          bit < 8 ? CryptoErrorCode.UnsupportedSuite : CryptoErrorCode.DecryptionFailed,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('fails with DecryptionFailed when any binding field differs at decrypt time', async () => {
    const field = fc.constantFrom('recordId', 'patientId', 'version', 'contentType');
    await fc.assert(
      fc.asyncProperty(bindingArb, bindingArb, field, async (bound, other, name) => {
        fc.pre(bound[name] !== other[name]);
        const key = generateDataKey();
        const envelope = await encryptRecord(key, bound, utf8('record body'));
        const changed = { ...bound, [name]: other[name] };
        const error = await rejection(decryptRecord(key, changed, envelope));
        expect(error.code).toBe(CryptoErrorCode.DecryptionFailed);
      }),
      { numRuns: 100 },
    );
  });

  it('fails with DecryptionFailed under a wrong key', async () => {
    const envelope = await encryptRecord(generateDataKey(), binding, utf8('HIV-POSITIVE'));
    const error = await rejection(decryptRecord(generateDataKey(), binding, envelope));
    expect(error.code).toBe(CryptoErrorCode.DecryptionFailed);
    expect(JSON.stringify([error.message, error.details])).not.toContain('HIV');
  });

  it('fails with DecryptionFailed when a version is moved to another record or version', async () => {
    const key = generateDataKey();
    const envelope = await encryptRecord(key, binding, utf8('v1'));
    for (const moved of [
      { ...binding, version: 2 },
      { ...binding, recordId: binding.patientId, patientId: binding.recordId },
    ]) {
      expect((await rejection(decryptRecord(key, moved, envelope))).code).toBe(
        CryptoErrorCode.DecryptionFailed,
      );
    }
  });
});

describe('record envelopes across backends', () => {
  it('an envelope made on one backend opens on the other', async () => {
    await fc.assert(
      fc.asyncProperty(bindingArb, fc.uint8Array({ maxLength: 1000 }), async (bound, plaintext) => {
        const key = generateDataKey();
        for (const [from, to] of [
          [nodeBackend, portableBackend],
          [portableBackend, nodeBackend],
        ] as const) {
          const envelope = await withBackend(from, () => encryptRecord(key, bound, plaintext));
          const opened = await withBackend(to, () => decryptRecord(key, bound, envelope));
          expect(toHex(opened)).toBe(toHex(plaintext));
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('record envelope input validation', () => {
  const key = generateDataKey();
  let envelope: Uint8Array;
  beforeAll(async () => {
    envelope = await encryptRecord(key, binding, utf8('body'));
  });

  type Call = () => Promise<unknown>;
  const invalid: [string, string, Call][] = [
    [
      'dataKey',
      'dataKey: expected 32 bytes, got 16',
      () => encryptRecord(new Uint8Array(16), binding, utf8('x')),
    ],
    [
      'dataKey',
      'dataKey: expected 32 bytes, got 33',
      () => decryptRecord(new Uint8Array(33), binding, envelope),
    ],
    [
      'dataKey',
      'dataKey: expected a Uint8Array, got string',
      () => encryptRecord('k' as never, binding, utf8('x')),
    ],
    [
      'plaintext',
      'plaintext: expected a Uint8Array, got string',
      () => encryptRecord(key, binding, 'x' as never),
    ],
    [
      'plaintext',
      'plaintext: expected a Uint8Array, got an array',
      () => encryptRecord(key, binding, [1] as never),
    ],
    [
      'envelope',
      'envelope: expected a Uint8Array, got undefined',
      () => decryptRecord(key, binding, undefined as never),
    ],
    [
      'binding',
      'binding: expected an object with recordId, patientId, version and contentType',
      () => encryptRecord(key, null as never, utf8('x')),
    ],
    [
      'binding',
      'binding: unexpected field "author"',
      () => encryptRecord(key, { ...binding, author: 'dr-x' } as never, utf8('x')),
    ],
    [
      'binding.recordId',
      'binding.recordId: must not be empty',
      () => encryptRecord(key, { ...binding, recordId: '' }, utf8('x')),
    ],
    [
      'binding.recordId',
      'binding.recordId: longer than 256 characters',
      () => decryptRecord(key, { ...binding, recordId: 'r'.repeat(257) }, envelope),
    ],
    [
      'binding.patientId',
      'binding.patientId: contains a lone surrogate (not valid Unicode text)',
      () => encryptRecord(key, { ...binding, patientId: 'p\uD800' }, utf8('x')),
    ],
    [
      'binding.patientId',
      'binding.patientId: expected a string, got undefined',
      () => encryptRecord(key, { ...binding, patientId: undefined } as never, utf8('x')),
    ],
    [
      'binding.patientId',
      'binding.patientId: expected a string, got number',
      () => encryptRecord(key, { ...binding, patientId: 7 } as never, utf8('x')),
    ],
    [
      'binding.version',
      'binding.version: must be between 1 and 4294967295, got 0',
      () => encryptRecord(key, { ...binding, version: 0 }, utf8('x')),
    ],
    [
      'binding.version',
      'binding.version: must be between 1 and 4294967295, got 4294967296',
      () => encryptRecord(key, { ...binding, version: 2 ** 32 }, utf8('x')),
    ],
    [
      'binding.version',
      'binding.version: expected an integer, got number',
      () => encryptRecord(key, { ...binding, version: 1.5 }, utf8('x')),
    ],
    [
      'binding.version',
      'binding.version: expected an integer, got string',
      () => decryptRecord(key, { ...binding, version: '1' } as never, envelope),
    ],
    [
      'binding.contentType',
      'binding.contentType: longer than 128 characters',
      () =>
        encryptRecord(
          key,
          { ...binding, contentType: `application/${'x'.repeat(120)}` },
          utf8('x'),
        ),
    ],
  ];

  it.each(invalid)('rejects a bad %s: "%s"', async (parameter, message, call) => {
    const error = await rejection(call());
    expect(error.code).toBe(CryptoErrorCode.InvalidInput);
    expect(error.message).toBe(message);
    expect(error.details['parameter']).toBe(parameter);
  });

  it('rejects a plaintext over MAX_RECORD_BYTES (64 MiB) and accepts an empty one', async () => {
    expect(MAX_RECORD_BYTES).toBe(64 * 1024 * 1024);
    const error = await rejection(
      encryptRecord(key, binding, new Uint8Array(MAX_RECORD_BYTES + 1)),
    );
    expect(error.code).toBe(CryptoErrorCode.InvalidInput);
    expect(error.message).toBe(
      `plaintext: longer than ${MAX_RECORD_BYTES} bytes (64 MiB), got ${MAX_RECORD_BYTES + 1}`,
    );
    const empty = await encryptRecord(key, binding, new Uint8Array(0));
    expect(empty.length).toBe(29);
    expect(await decryptRecord(key, binding, empty)).toEqual(new Uint8Array(0));
  });

  it.each([0, 1, 13, 20, 28])('rejects an envelope of %i bytes as Malformed', async (length) => {
    const error = await rejection(decryptRecord(key, binding, envelope.slice(0, length)));
    expect(error.code).toBe(CryptoErrorCode.Malformed);
    expect(error.message).toBe(`record envelope is ${length} bytes; at least 29 expected`);
    expect(error.details).toEqual({ parameter: 'envelope', length });
  });

  it('rejects an envelope longer than any encryptRecord output as Malformed', async () => {
    const tooLong = new Uint8Array(MAX_RECORD_BYTES + RECORD_ENVELOPE_OVERHEAD + 1);
    tooLong[0] = SuiteTag.RecordEnvelopeV1;
    const error = await rejection(decryptRecord(key, binding, tooLong));
    expect(error.code).toBe(CryptoErrorCode.Malformed);
  });

  it.each([0x00, 0x12, SuiteTag.HpkeWrapV1, 0xff])(
    'rejects suite tag 0x%s as UnsupportedSuite',
    async (tag) => {
      const other = envelope.slice();
      other[0] = tag;
      const error = await rejection(decryptRecord(key, binding, other));
      expect(error.code).toBe(CryptoErrorCode.UnsupportedSuite);
      expect(error.message).toBe(
        `record envelope suite tag 0x${tag.toString(16).padStart(2, '0')} is not supported; expected 0x11`,
      );
    },
  );
});
