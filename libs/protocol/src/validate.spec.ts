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
