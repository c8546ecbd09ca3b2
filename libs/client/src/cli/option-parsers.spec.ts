import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';

import { integerFrom, listOf, oneOf, repeatable, sensitivityCode, uuid } from './option-parsers.js';

const ID = '0192f7a4-1c2b-7d3e-8f40-123456789abc';

describe('listOf', () => {
  const categories = listOf(oneOf(['allergies', 'notes', 'imaging'] as const));

  it('splits on commas, trims, sorts and drops repeats', () => {
    expect(categories(' notes, allergies,,notes ')).toEqual(['allergies', 'notes']);
  });

  it('adds to what earlier uses of the option gave', () => {
    expect(categories('notes', categories('imaging'))).toEqual(['imaging', 'notes']);
  });

  it('names the item that is not allowed, and the allowed ones', () => {
    expect(() => categories('allergies,xrays')).toThrow(InvalidArgumentError);
    expect(() => categories('allergies,xrays')).toThrow(
      '"xrays" is not one of allergies, notes, imaging',
    );
  });

  it('refuses an empty list', () => {
    expect(() => categories(' , ')).toThrow('must name at least one item');
  });
});

describe('sensitivityCode', () => {
  it('accepts HL7 codes in either case, as upper case', () => {
    expect(listOf(sensitivityCode)('psy,HIV')).toEqual(['HIV', 'PSY']);
  });

  it('refuses what cannot be a code', () => {
    expect(() => sensitivityCode('H1V')).toThrow('"H1V" is not an HL7 sensitivity code');
    expect(() => sensitivityCode('X')).toThrow(InvalidArgumentError);
  });
});

describe('uuid', () => {
  it('accepts a UUID, in lower case', () => {
    expect(uuid(ID.toUpperCase())).toBe(ID);
  });

  it('refuses anything else', () => {
    expect(() => uuid('patient-7')).toThrow('"patient-7" is not a UUID');
  });
});

describe('integerFrom', () => {
  const minutes = integerFrom(5, 1440);

  it('accepts whole numbers in range', () => {
    expect(minutes('5')).toBe(5);
    expect(minutes('1440')).toBe(1440);
  });

  it.each(['4', '1441', '60.5', '1e2', '-10', '', 'sixty'])('refuses %j', (value) => {
    expect(() => minutes(value)).toThrow('must be a whole number from 5 to 1440');
  });
});

describe('repeatable', () => {
  it('collects each use in order', () => {
    const collect = repeatable((value) => value.length);
    expect(collect('abc', collect('a'))).toEqual([1, 3]);
  });
});
