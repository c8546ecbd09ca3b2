import { describe, expect, it } from 'vitest';

import { packRows } from './pack-plan.js';

const ANCHOR = 'RecordRegistry.anchorRecord';
const CONSENT = 'ConsentLedger.grantConsent';
const OTHER_PACKABLE = 'Other.packable';

function rows(kinds: string): { id: number; kind: string }[] {
  const byLetter: Record<string, string> = { a: ANCHOR, c: CONSENT, o: OTHER_PACKABLE };
  return [...kinds].map((letter, id) => ({ id, kind: byLetter[letter]! }));
}

/** The plan as letters, one group per transaction: e.g. "aaa|c|aa". */
function plan(kinds: string, limits: Record<string, number> = { [ANCHOR]: 3 }): string {
  const sends = packRows(rows(kinds), (kind) => limits[kind] ?? 1);
  return sends.map((send) => send.map((row) => kinds[row.id]).join('')).join('|');
}

describe('packRows', () => {
  it.each([
    ['nothing', '', ''],
    ['rows of kinds that do not pack, one transaction each', 'ccc', 'c|c|c'],
    ['a run of packable rows into one pack', 'aaa', 'aaa'],
    ['a long run into packs of at most the limit', 'aaaaaaa', 'aaa|aaa|a'],
    ['a pack in the place of its first row, never across another kind', 'aacaaca', 'aa|c|aa|c|a'],
    ['runs of two packable kinds apart', 'aaoo', 'aa|oo'],
  ])('plans %s', (_case, kinds, expected) => {
    expect(plan(kinds, { [ANCHOR]: 3, [OTHER_PACKABLE]: 5 })).toBe(expected);
  });

  it('keeps every row once, in outbox order', () => {
    const input = rows('aacaaaaacaoaaa');
    const sends = packRows(input, (kind) => (kind === ANCHOR ? 2 : 1));
    expect(sends.flat()).toEqual(input);
    expect(sends.every((send) => send.every((row) => row.kind === send[0]!.kind))).toBe(true);
  });

  it.each([1, 0, -4, Number.NaN])('sends each row alone when the limit is %s', (limit) => {
    expect(plan('aaa', { [ANCHOR]: limit })).toBe('a|a|a');
  });

  it('cuts 250 rows with a limit of 100 into 100, 100 and 50', () => {
    const sends = packRows(rows('a'.repeat(250)), () => 100);
    expect(sends.map((send) => send.length)).toEqual([100, 100, 50]);
  });
});
