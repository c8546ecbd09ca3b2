import type { Actor } from '@sec-health/service-kit';
import { describe, expect, it } from 'vitest';

import { decideAccess, type AccessDecision } from './access.js';

const patient: Actor = { id: 'p', role: 'patient', organizationId: null, keyVersion: 1 };
const admin: Actor = { id: 'a', role: 'org-admin', organizationId: 'o', keyVersion: 1 };

describe('decideAccess', () => {
  it.each<[string, Parameters<typeof decideAccess>[0], Actor | undefined, AccessDecision]>([
    ['public, anonymous', 'public', undefined, 'allow'],
    ['public, patient', 'public', patient, 'allow'],
    ['authenticated, anonymous', 'authenticated', undefined, 'unauthenticated'],
    ['authenticated, patient', 'authenticated', patient, 'allow'],
    ['admins, anonymous', ['org-admin', 'authority'], undefined, 'unauthenticated'],
    ['admins, patient', ['org-admin', 'authority'], patient, 'forbidden'],
    ['admins, org admin', ['org-admin', 'authority'], admin, 'allow'],
    ['nobody listed, org admin', [], admin, 'forbidden'],
  ])('%s → %s', (_name, access, actor, expected) => {
    expect(decideAccess(access, actor)).toBe(expected);
  });
});
