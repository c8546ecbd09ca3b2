import { describe, expect, it } from 'vitest';

import { matchesAnyGlob } from './glob.js';

describe('matchesAnyGlob', () => {
  it.each([
    ['libs/a/src/x.spec.ts', '**/*.spec.ts', true],
    ['x.spec.ts', '**/*.spec.ts', true],
    ['libs/a/src/x.int.spec.ts', '**/*.int.spec.ts', true],
    ['libs/a/src/x.ts', '**/*.spec.ts', false],
    ['libs/a/test/support.ts', '**/test/**', true],
    ['test/e2e/processes.ts', '**/test/**', true],
    ['libs/a/testing/x.ts', '**/test/**', false],
    ['libs/a/src/latest/x.ts', '**/test/**', false],
    ['test/e2e/deep/x.ts', 'test/e2e/**', true],
    ['libs/test/e2e/x.ts', 'test/e2e/*', false],
    ['libs/a/src/x.ts', 'libs/?/src/*.ts', true],
    ['libs/a/src/axts', 'libs/a/src/a.ts', false],
  ])('%s against %s: %s', (path, pattern, expected) => {
    expect(matchesAnyGlob(path, [pattern])).toBe(expected);
  });
});
