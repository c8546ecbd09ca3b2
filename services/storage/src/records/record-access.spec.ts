import type { Role } from '@sec-health/protocol';
import { describe, expect, it } from 'vitest';

import { mayWrite, relationOf } from './record-access.js';

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
