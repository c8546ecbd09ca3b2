import { describe, expect, it } from 'vitest';

import {
  mayAdminister,
  mayKnowRef,
  mayRead,
  searchScope,
  type KnownActor,
  type Target,
} from './access.js';

const ORG_A = '0190f5a0-0000-7000-8000-00000000000a';
const ORG_B = '0190f5a0-0000-7000-8000-00000000000b';
const actor = (
  role: KnownActor['role'],
  org: string | null,
  status: KnownActor['status'] = 'active',
): KnownActor => ({
  id: `actor-${role}`,
  role,
  organizationId: org,
  status,
});
const target = (role: Target['role'], org: string | null, id = 'target'): Target => ({
  id,
  role,
  organizationId: org,
});

describe('mayAdminister', () => {
  it.each([
    ['authority, anyone', actor('authority', null), target('org-admin', ORG_A), true],
    ['authority, a patient without org', actor('authority', null), target('patient', null), true],
    [
      'org admin, own org collaborator',
      actor('org-admin', ORG_A),
      target('collaborator', ORG_A),
      true,
    ],
    ['org admin, own org patient', actor('org-admin', ORG_A), target('patient', ORG_A), true],
    ['org admin, other org', actor('org-admin', ORG_A), target('collaborator', ORG_B), false],
    ['org admin, patient without org', actor('org-admin', ORG_A), target('patient', null), false],
    ['org admin, another org admin', actor('org-admin', ORG_A), target('org-admin', ORG_A), false],
    ['revoked org admin', actor('org-admin', ORG_A, 'revoked'), target('attendant', ORG_A), false],
    ['pending authority', actor('authority', null, 'pending'), target('attendant', ORG_A), false],
    ['collaborator', actor('collaborator', ORG_A), target('patient', ORG_A), false],
    ['itself', actor('authority', null), target('authority', null, 'actor-authority'), false],
  ])('%s', (_name, who, whom, allowed) => {
    expect(mayAdminister(who, whom).allowed).toBe(allowed);
  });
});

describe('mayRead', () => {
  it.each([
    [
      'self, even pending',
      actor('patient', null, 'pending'),
      target('patient', null, 'actor-patient'),
      true,
    ],
    ['authority', actor('authority', null), target('patient', ORG_B), true],
    ['org admin, same org', actor('org-admin', ORG_A), target('attendant', ORG_A), true],
    ['org admin, other org', actor('org-admin', ORG_A), target('attendant', ORG_B), false],
    ['collaborator, other', actor('collaborator', ORG_A), target('patient', ORG_A), false],
  ])('%s', (_name, who, whom, allowed) => {
    expect(mayRead(who, whom).allowed).toBe(allowed);
  });
});

describe('searchScope', () => {
  it('confines org admins to their organization', () => {
    expect(searchScope(actor('org-admin', ORG_A), undefined)).toEqual({
      allowed: true,
      organizationId: ORG_A,
    });
    expect(searchScope(actor('org-admin', ORG_A), ORG_B).allowed).toBe(false);
    expect(searchScope(actor('authority', null), ORG_B)).toEqual({
      allowed: true,
      organizationId: ORG_B,
    });
    expect(searchScope(actor('patient', null), undefined).allowed).toBe(false);
  });
});

describe("mayKnowRef (issue #10 finding 6: a patient's chain pseudonym)", () => {
  const patient = target('patient', null, 'the-patient');
  it.each([
    ['the patient', { ...actor('patient', null), id: 'the-patient' }, patient, true],
    ['the authority', actor('authority', null), patient, true],
    ['a revoked authority', actor('authority', null, 'revoked'), patient, false],
    ['a physician', actor('collaborator', ORG_A), patient, false],
    [
      'an org admin of the same organization',
      actor('org-admin', ORG_A),
      target('patient', ORG_A),
      false,
    ],
    ['another patient', actor('patient', null), patient, false],
    ['the gateway logging someone in', undefined, patient, false],
    [
      "anyone, a collaborator's (derived from its id)",
      actor('patient', null),
      target('collaborator', ORG_A),
      true,
    ],
    ['the gateway, an emergency server', undefined, target('emergency-server', null), true],
  ])('%s: %s', (_who, viewer, whom, expected) => {
    expect(mayKnowRef(viewer, whom)).toBe(expected);
  });
});
