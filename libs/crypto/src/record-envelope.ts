import { backend } from './backend/active.js';
import { GCM_TAG_LENGTH } from './backend/shared.js';
import { assertBytes, assertInteger, assertString, concatBytes } from './bytes.js';
import { canonicalJsonBytes } from './canonical-json.js';
import { CryptoError, CryptoErrorCode, invalidInput } from './errors.js';
import { DATA_KEY_LENGTH } from './random.js';
import { SuiteTag } from './suite.js';

/** What a record ciphertext is bound to (its AAD): changing any field at decrypt time fails it. */
export interface RecordBinding {
  readonly recordId: string;
  readonly patientId: string;
  readonly version: number;
  readonly contentType: string;
}

/** Largest plaintext a record envelope may hold: 64 MiB. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

const NONCE_LENGTH = 12;
const HEADER_LENGTH = 1 + NONCE_LENGTH;

/** Bytes an envelope adds to its plaintext: suite tag (1) + nonce (12) + GCM tag (16). */
export const RECORD_ENVELOPE_OVERHEAD = HEADER_LENGTH + GCM_TAG_LENGTH;

const ID_MAX_LENGTH = 256;
const CONTENT_TYPE_MAX_LENGTH = 128;
const VERSION_MAX = 2 ** 32 - 1;
const BINDING_FIELDS: ReadonlySet<string> = new Set([
  'recordId',
  'patientId',
  'version',
  'contentType',
]);

/** AAD of a record envelope: UTF-8 of the RFC 8785 canonical JSON of the binding's four fields. */
export function recordAad(binding: RecordBinding): Uint8Array {
  assertBinding(binding);
  const { recordId, patientId, version, contentType } = binding;
  return canonicalJsonBytes({ recordId, patientId, version, contentType });
}

/**
 * Encrypts one record version (DESIGN.md section 5): AES-256-GCM under `dataKey` with a fresh
 * random 96-bit nonce, bound to `binding`. Layout: SuiteTag.RecordEnvelopeV1 ‖ nonce(12) ‖
 * ciphertext ‖ tag(16). Use a fresh data key per record version.
 */
export async function encryptRecord(
  dataKey: Uint8Array,
  binding: RecordBinding,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  assertBytes('dataKey', dataKey, DATA_KEY_LENGTH);
  const aad = recordAad(binding);
  assertBytes('plaintext', plaintext);
  if (plaintext.length > MAX_RECORD_BYTES) {
    throw invalidInput(
      'plaintext',
      `longer than ${MAX_RECORD_BYTES} bytes (64 MiB), got ${plaintext.length}`,
    );
  }
  const nonce = backend().randomBytes(NONCE_LENGTH);
  const sealed = await backend().aesGcmSeal(dataKey, nonce, aad, plaintext);
  return concatBytes(Uint8Array.of(SuiteTag.RecordEnvelopeV1), nonce, sealed);
}

/**
 * Opens an envelope made by encryptRecord. Throws CryptoError: Malformed when it is too short,
 * UnsupportedSuite for an unknown tag, DecryptionFailed for a wrong key or any change to the
 * envelope or the binding.
 */
export async function decryptRecord(
  dataKey: Uint8Array,
  binding: RecordBinding,
  envelope: Uint8Array,
): Promise<Uint8Array> {
  assertBytes('dataKey', dataKey, DATA_KEY_LENGTH);
  const aad = recordAad(binding);
  assertBytes('envelope', envelope);
  if (envelope.length < RECORD_ENVELOPE_OVERHEAD) {
    throw new CryptoError(
      CryptoErrorCode.Malformed,
      `record envelope is ${envelope.length} bytes; at least ${RECORD_ENVELOPE_OVERHEAD} expected`,
      { parameter: 'envelope', length: envelope.length },
    );
  }
  if (envelope.length > MAX_RECORD_BYTES + RECORD_ENVELOPE_OVERHEAD) {
    throw new CryptoError(
      CryptoErrorCode.Malformed,
      `record envelope is ${envelope.length} bytes; at most ${MAX_RECORD_BYTES + RECORD_ENVELOPE_OVERHEAD} expected`,
      { parameter: 'envelope', length: envelope.length },
    );
  }
  const tag = envelope[0] as number;
  if (tag !== SuiteTag.RecordEnvelopeV1) {
    throw new CryptoError(
      CryptoErrorCode.UnsupportedSuite,
      `record envelope suite tag 0x${hexByte(tag)} is not supported; expected 0x${hexByte(SuiteTag.RecordEnvelopeV1)}`,
      { parameter: 'envelope', suiteTag: tag },
    );
  }
  const nonce = envelope.subarray(1, HEADER_LENGTH);
  return backend().aesGcmOpen(dataKey, nonce, aad, envelope.subarray(HEADER_LENGTH));
}

function assertBinding(binding: unknown): asserts binding is RecordBinding {
  if (typeof binding !== 'object' || binding === null || Array.isArray(binding)) {
    throw invalidInput(
      'binding',
      'expected an object with recordId, patientId, version and contentType',
    );
  }
  for (const key of Object.keys(binding)) {
    if (!BINDING_FIELDS.has(key)) {
      throw invalidInput('binding', `unexpected field ${JSON.stringify(key.slice(0, 64))}`);
    }
  }
  const fields = binding as Record<string, unknown>;
  assertString('binding.recordId', fields['recordId'], ID_MAX_LENGTH);
  assertString('binding.patientId', fields['patientId'], ID_MAX_LENGTH);
  assertInteger('binding.version', fields['version'], 1, VERSION_MAX);
  assertString('binding.contentType', fields['contentType'], CONTENT_TYPE_MAX_LENGTH);
}

function hexByte(value: number): string {
  return value.toString(16).padStart(2, '0');
}
