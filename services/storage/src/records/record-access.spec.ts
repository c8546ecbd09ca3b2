import type { Role } from '@sec-health/protocol';
import { describe, expect, it } from 'vitest';

import { assertMayVersion, mayWrite, relationOf } from './record-access.js';

const PATIENT = '00000000-0000-4000-8000-00000000000a';
const OTHER_PATIENT = '00000000-0000-4000-8000-00000000000b';
const ACTOR = '00000000-0000-4000-8000-00000000000c';

describe('mayWrite', () => {
  const table: [
    what: string,
    actor: { id: string; role: Role },
    record: { patientId: string; authorId: string },
    expected: ReturnType<typeof mayWrite>,
  ][] = [
    [
      'a patient, their own record',
      { id: PATIENT, role: 'patient' },
      { patientId: PATIENT, authorId: PATIENT },
      { allowed: true, needsWriteGrant: false },
    ],
    [
      "a patient, another patient's record",
      { id: PATIENT, role: 'patient' },
      { patientId: OTHER_PATIENT, authorId: PATIENT },
      { allowed: false, reason: 'patients write only their own records' },
    ],
    [
      'a collaborator as author: only under a write grant',
      { id: ACTOR, role: 'collaborator' },
      { patientId: PATIENT, authorId: ACTOR },
      { allowed: true, needsWriteGrant: true },
    ],
    [
      'a collaborator naming another author',
      { id: ACTOR, role: 'collaborator' },
      { patientId: PATIENT, authorId: PATIENT },
      { allowed: false, reason: 'the metadata names another author' },
    ],
    [
      'a patient naming another author',
      { id: PATIENT, role: 'patient' },
      { patientId: PATIENT, authorId: ACTOR },
      { allowed: false, reason: 'the metadata names another author' },
    ],
    ...(['research', 'attendant', 'emergency-server', 'org-admin', 'authority'] as const).map(
      (
        role,
      ): [
        string,
        { id: string; role: Role },
        { patientId: string; authorId: string },
        ReturnType<typeof mayWrite>,
      ] => [
        `role ${role}`,
        { id: ACTOR, role },
        { patientId: PATIENT, authorId: ACTOR },
        { allowed: false, reason: `role ${role} does not write records` },
      ],
    ),
  ];

  it.each(table)('%s', (_what, actor, record, expected) => {
    expect(mayWrite(actor, record)).toEqual(expected);
  });
});

describe('relationOf', () => {
  it.each([
    [PATIENT, { patientId: PATIENT, authorId: ACTOR }, 'patient'],
    [ACTOR, { patientId: PATIENT, authorId: ACTOR }, 'author'],
    [PATIENT, { patientId: PATIENT, authorId: PATIENT }, 'patient'],
    [OTHER_PATIENT, { patientId: PATIENT, authorId: ACTOR }, 'other'],
  ] as const)('%s to %o is %s', (actorId, record, expected) => {
    expect(relationOf(actorId, record)).toBe(expected);
  });
});

describe('assertMayVersion', () => {
  const AUTHOR = '00000000-0000-4000-8000-00000000000d';
  const latest = { patientId: PATIENT, authorId: AUTHOR, category: 'allergies' };
  const next = { patientId: PATIENT, category: 'allergies' };
  const codeOf = (fn: () => void): string | undefined => {
    try {
      fn();
      return undefined;
    } catch (error) {
      return (error as { code?: string }).code;
    }
  };

  it.each([
    ['the patient (a rotation)', PATIENT, next, undefined],
    ['the author of the version before', AUTHOR, next, undefined],
    ['another collaborator, even under a write grant', ACTOR, next, 'FORBIDDEN'],
    ['another patient', OTHER_PATIENT, { ...next, patientId: OTHER_PATIENT }, 'CONFLICT'],
    ['a change of category', AUTHOR, { ...next, category: 'notes' }, 'CONFLICT'],
  ])('%s', (_what, actorId, candidate, code) => {
    expect(codeOf(() => assertMayVersion({ id: actorId }, latest, candidate))).toBe(code);
  });
});
