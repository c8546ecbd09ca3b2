import { InvalidArgumentError } from 'commander';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d{1,6})([mhd])$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** An ISO 8601 time with seconds optional, fractions optional and an explicit zone. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** "90d", "12h", "30m" in milliseconds; undefined when `value` is not such a duration. */
export function parseDuration(value: string): number | undefined {
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  if (amount === 0) throw new InvalidArgumentError('a duration must be longer than 0');
  return amount * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/**
 * When a grant ends: a duration from `now` ("90d", "12h", "30m") or an ISO time
 * ("2027-03-01T09:30:00Z"; a date alone is midnight UTC). Must be in the future.
 */
export function parseExpiry(value: string, now: Date = new Date()): Date {
  const duration = parseDuration(value);
  const at =
    duration === undefined
      ? parseIsoTime(value, 'start', ', or a duration (90d, 12h, 30m)')
      : new Date(now.getTime() + duration);
  if (at.getTime() <= now.getTime()) {
    throw new InvalidArgumentError(`${at.toISOString()} is not in the future`);
  }
  return at;
}

/**
 * A bound of a time range as an ISO string: an ISO time as given, or a date alone as the start
 * (`start`) or the last millisecond (`end`) of that day in UTC, so `--to 2026-03-31` includes it.
 */
export function parseIsoBound(value: string, edge: 'start' | 'end'): string {
  return parseIsoTime(value, edge, '').toISOString();
}

function parseIsoTime(value: string, edge: 'start' | 'end', orElse: string): Date {
  const text = value.trim();
  if (DATE_ONLY.test(text)) {
    const day = new Date(`${text}T00:00:00.000Z`);
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text) {
      throw new InvalidArgumentError(`"${value}" is not a calendar date`);
    }
    return edge === 'start' ? day : new Date(day.getTime() + UNIT_MS.d - 1);
  }
  const at = new Date(text);
  if (!DATE_TIME.test(text) || Number.isNaN(at.getTime())) {
    throw new InvalidArgumentError(
      `"${value}" is not an ISO time (2027-03-01T09:30:00Z) or a date (2027-03-01)${orElse}`,
    );
  }
  return at;
}
