import { PersistenceError, PersistenceErrorCode } from '../errors.js';
import type { OutboxPayload } from './outbox.entity.js';

export interface NewOutboxEntry {
  /** Unique per intended chain call; a retried request reuses it. At most 200 characters. */
  readonly idempotencyKey: string;
  /** Which contract call, e.g. `participant.attested`. At most 100 characters. */
  readonly kind: string;
  /** The call arguments: a JSON object of hashes and references (at most 64 KiB serialized). */
  readonly payload: OutboxPayload;
  /** Earliest send time. Default: now. */
  readonly nextAttemptAt?: Date;
}

const MAX_KEY_LENGTH = 200;
const MAX_KIND_LENGTH = 100;
const MAX_PAYLOAD_BYTES = 64 * 1024;

function invalidEntry(parameter: string, problem: string): PersistenceError {
  return new PersistenceError(PersistenceErrorCode.InvalidOutboxEntry, `${parameter}: ${problem}`, {
    parameter,
  });
}

function serializePayload(payload: unknown): string {
  if (
    typeof payload !== 'object' ||
    payload === null ||
    Array.isArray(payload) ||
    (Object.getPrototypeOf(payload) !== Object.prototype && Object.getPrototypeOf(payload) !== null)
  ) {
    throw invalidEntry('payload', 'must be a plain JSON object');
  }
  let json: string;
  try {
    json = JSON.stringify(payload);
  } catch {
    throw invalidEntry('payload', 'is not serializable as JSON');
  }
  if (Buffer.byteLength(json, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw invalidEntry('payload', `must serialize to at most ${MAX_PAYLOAD_BYTES} bytes`);
  }
  return json;
}

/** Checks an entry before it is written; throws PERSISTENCE_INVALID_OUTBOX_ENTRY naming the field. */
export function validateOutboxEntry(entry: NewOutboxEntry): { payloadJson: string } {
  if (typeof entry.idempotencyKey !== 'string' || entry.idempotencyKey.length === 0) {
    throw invalidEntry('idempotencyKey', 'must be a non-empty string');
  }
  if (entry.idempotencyKey.length > MAX_KEY_LENGTH) {
    throw invalidEntry('idempotencyKey', `must be at most ${MAX_KEY_LENGTH} characters`);
  }
  if (typeof entry.kind !== 'string' || entry.kind.length === 0) {
    throw invalidEntry('kind', 'must be a non-empty string');
  }
  if (entry.kind.length > MAX_KIND_LENGTH) {
    throw invalidEntry('kind', `must be at most ${MAX_KIND_LENGTH} characters`);
  }
  if (
    entry.nextAttemptAt !== undefined &&
    (!(entry.nextAttemptAt instanceof Date) || Number.isNaN(entry.nextAttemptAt.getTime()))
  ) {
    throw invalidEntry('nextAttemptAt', 'must be a valid Date');
  }
  return { payloadJson: serializePayload(entry.payload) };
}

/** The error for a key already used by an entry with a different kind or payload. */
export function idempotencyConflict(id: string, kind: string): PersistenceError {
  return new PersistenceError(
    PersistenceErrorCode.IdempotencyConflict,
    `idempotency key already used by outbox entry ${id} with a different kind or payload`,
    { id, kind },
  );
}
