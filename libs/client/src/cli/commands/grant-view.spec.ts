import { describe, expect, it } from 'vitest';

import { scopeText } from './grant-view.js';

const ID = '0192f7a4-1c2b-7d3e-8f40-123456789abc';

describe('scopeText', () => {
  it('lists categories and counts records', () => {
    expect(scopeText({ categories: ['allergies', 'notes'], recordIds: [ID, ID] })).toBe(
      'allergies,notes + 2 records',
    );
    expect(scopeText({ categories: [], recordIds: [ID] })).toBe('1 record');
    expect(scopeText({ categories: ['imaging'], recordIds: [] })).toBe('imaging');
  });
});
