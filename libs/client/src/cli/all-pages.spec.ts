import { describe, expect, it } from 'vitest';

import { allPages } from './all-pages.js';

describe('allPages', () => {
  it('follows `next` until the last page', async () => {
    const pages: Record<string, { items: number[]; next: string | null }> = {
      first: { items: [1, 2], next: 'b' },
      b: { items: [3], next: 'c' },
      c: { items: [], next: null },
    };
    const asked: (string | undefined)[] = [];
    const items = await allPages(async (after) => {
      asked.push(after);
      return pages[after ?? 'first']!;
    });
    expect(items).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, 'b', 'c']);
  });

  it('stops when a page points at itself', async () => {
    const items = await allPages(async () => ({ items: ['x'], next: 'same' }));
    expect(items).toEqual(['x', 'x']);
  });
});
