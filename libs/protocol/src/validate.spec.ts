import { describe, expect, it } from 'vitest';

import { ErrorCode, isProtocolError, parseOrThrow, RegisterParticipantRequest } from './index.js';

const key = 'A'.repeat(43);
const valid = {
  role: 'patient',
  keys: { signing: key, encryption: key },
  profile: { displayName: 'Ana' },
  proof: 'B'.repeat(86),
};

describe('parseOrThrow', () => {
  it('accepts a valid registration', () => {
    expect(parseOrThrow(RegisterParticipantRequest, valid, 'registration').role).toBe('patient');
  });

  it.each([
    ['wrong type', { ...valid, role: 7 }, 'role'],
    ['missing field', { ...valid, keys: undefined }, 'keys'],
    ['extra field', { ...valid, admin: true }, '(root)'],
    [
      'oversized string',
      { ...valid, profile: { displayName: 'x'.repeat(201) } },
      'profile.displayName',
    ],
    ['short key', { ...valid, keys: { signing: 'AAAA', encryption: key } }, 'keys.signing'],
    [
      'control characters',
      { ...valid, profile: { displayName: 'a\u0000b' } },
      'profile.displayName',
    ],
  ])('rejects %s with VALIDATION_FAILED naming the path', (_, input, path) => {
    let caught: unknown;
    try {
      parseOrThrow(RegisterParticipantRequest, input, 'registration');
    } catch (error) {
      caught = error;
    }
    expect(isProtocolError(caught, ErrorCode.ValidationFailed)).toBe(true);
    const issues = (caught as { details: { issues: { path: string }[] } }).details.issues;
    expect(issues.map((i) => i.path)).toContain(path);
  });
});

describe('human text (issue #10 finding 10: bidi and invisible characters in names)', () => {
  const name = (displayName: string) =>
    RegisterParticipantRequest.safeParse({ ...valid, profile: { displayName } });

  it.each([
    ['a right-to-left override', 'Dr. \u202Eavlis'],
    ['a left-to-right isolate', 'Ana \u2066Souza'],
    ['a zero-width space', 'Ana\u200BSouza'],
    ['a zero-width joiner', 'Ana\u200DSouza'],
    ['a zero-width no-break space inside', 'An\uFEFFa'],
    ['an invisible tag character', 'Ana\u{E0041}'],
    ['a line separator', 'Ana\u2028Souza'],
    ['a control character', 'Ana\u0007'],
  ])('refuses %s', (_what, displayName) => {
    const result = name(displayName);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['profile', 'displayName']);
  });

  it('normalises to NFC, so the same name in two encodings is the same text', () => {
    const decomposed = name('Jose\u0301 Gonc\u0327alves');
    const composed = name('Jos\u00E9 Gon\u00E7alves');
    expect(decomposed.data?.profile.displayName).toBe('Jos\u00E9 Gon\u00E7alves');
    expect(composed.data?.profile.displayName).toBe('Jos\u00E9 Gon\u00E7alves');
  });

  it('keeps ordinary names in any script', () => {
    for (const displayName of ['Ana Souza', 'محمد', '田中 花子', 'Zoë O’Brien-Łukasz']) {
      expect(name(displayName).data?.profile.displayName).toBe(displayName);
    }
  });
});
