import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';

import { parseDuration, parseExpiry, parseIsoBound } from './time-options.js';

const NOW = new Date('2026-12-01T09:30:00.000Z');

describe('parseDuration', () => {
  it('reads minutes, hours and days', () => {
    expect(parseDuration('30m')).toBe(30 * 60_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('90d')).toBe(90 * 86_400_000);
  });

  it('leaves what is not a duration to the caller', () => {
    expect(parseDuration('2027-01-01')).toBeUndefined();
    expect(parseDuration('90 days')).toBeUndefined();
    expect(parseDuration('1.5h')).toBeUndefined();
  });

  it('refuses a zero duration', () => {
    expect(() => parseDuration('0d')).toThrow('longer than 0');
  });
});

describe('parseExpiry', () => {
  it('adds a duration to now', () => {
    expect(parseExpiry('90d', NOW).toISOString()).toBe('2027-03-01T09:30:00.000Z');
    expect(parseExpiry('30m', NOW).toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });

  it('reads ISO times with a zone, and a date alone as midnight UTC', () => {
    expect(parseExpiry('2027-03-01T09:30:00Z', NOW).toISOString()).toBe('2027-03-01T09:30:00.000Z');
    expect(parseExpiry('2027-03-01T10:30+01:00', NOW).toISOString()).toBe(
      '2027-03-01T09:30:00.000Z',
    );
    expect(parseExpiry('2027-03-01', NOW).toISOString()).toBe('2027-03-01T00:00:00.000Z');
  });

  it('refuses a time in the past', () => {
    expect(() => parseExpiry('2026-11-30', NOW)).toThrow(
      '2026-11-30T00:00:00.000Z is not in the future',
    );
  });

  it('refuses times without a zone, impossible dates and anything else, naming the forms', () => {
    for (const value of ['2027-03-01T09:30:00', '2027-02-30', 'next week', '90']) {
      expect(() => parseExpiry(value, NOW)).toThrow(InvalidArgumentError);
    }
    expect(() => parseExpiry('soon', NOW)).toThrow(
      '"soon" is not an ISO time (2027-03-01T09:30:00Z) or a date (2027-03-01), or a duration (90d, 12h, 30m)',
    );
  });
});

describe('parseIsoBound', () => {
  it('takes a date alone as its first or its last millisecond, in UTC', () => {
    expect(parseIsoBound('2026-03-31', 'start')).toBe('2026-03-31T00:00:00.000Z');
    expect(parseIsoBound('2026-03-31', 'end')).toBe('2026-03-31T23:59:59.999Z');
  });

  it('keeps an ISO time as given, in UTC', () => {
    expect(parseIsoBound('2026-03-31T12:00:00.5+02:00', 'end')).toBe('2026-03-31T10:00:00.500Z');
  });

  it('does not offer durations', () => {
    expect(() => parseIsoBound('90d', 'start')).toThrow(
      '"90d" is not an ISO time (2027-03-01T09:30:00Z) or a date (2027-03-01)',
    );
  });
});
