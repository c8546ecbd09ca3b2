import { SensitivityTag, Uuid } from '@sec-health/protocol';
import { InvalidArgumentError } from 'commander';

/** A commander parser: the option's value and what earlier uses of it gave. */
export type ListParser<T extends string> = (value: string, previous?: readonly T[]) => T[];

/**
 * A comma-separated list option ("a,b"), also repeatable (`--x a --x b`): sorted, without
 * repeats, each item checked by `check` (which names the problem, or returns the item).
 */
export function listOf<T extends string>(check: (item: string) => T): ListParser<T> {
  return (value, previous = []) => {
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
    if (items.length === 0) throw new InvalidArgumentError('must name at least one item');
    return [...new Set([...previous, ...items.map(check)])].sort();
  };
}

/** Items from a fixed set, e.g. categories: `listOf(oneOf(RECORD_CATEGORIES))`. */
export function oneOf<T extends string>(allowed: readonly T[]): (item: string) => T {
  return (item) => {
    if ((allowed as readonly string[]).includes(item)) return item as T;
    throw new InvalidArgumentError(`"${item}" is not one of ${allowed.join(', ')}`);
  };
}

/** An HL7 sensitivity code such as HIV or PSY (lower case is accepted and raised). */
export function sensitivityCode(item: string): string {
  const code = item.toUpperCase();
  if (!SensitivityTag.safeParse(code).success) {
    throw new InvalidArgumentError(`"${item}" is not an HL7 sensitivity code such as HIV or PSY`);
  }
  return code;
}

export function uuid(value: string): string {
  if (!Uuid.safeParse(value).success) throw new InvalidArgumentError(`"${value}" is not a UUID`);
  return value.toLowerCase();
}

/** A whole number from `min` to `max`. */
export function integerFrom(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

/** Collects a repeatable option's values, each parsed by `parse`. */
export function repeatable<T>(parse: (value: string) => T): (value: string, previous?: T[]) => T[] {
  return (value, previous = []) => [...previous, parse(value)];
}
