import { describe, expect, it } from 'vitest';

import { participant } from '../../test/support/fixtures.js';
import { actorRefusal } from './actor-rules.js';

const patient = participant('patient');

describe('actorRefusal', () => {
  it.each([
    ['known, active, current keys', patient.resolved, undefined],
    ['unknown to the authority', undefined, 'FORBIDDEN'],
    [
      'in another role than asserted',
      { ...patient.resolved, role: 'collaborator' as const },
      'FORBIDDEN',
    ],
    ['pending', { ...patient.resolved, status: 'pending' as const }, 'FORBIDDEN'],
    ['revoked', { ...patient.resolved, status: 'revoked' as const }, 'FORBIDDEN'],
    ['logged in before a key rotation', { ...patient.resolved, keyVersion: 2 }, 'UNAUTHENTICATED'],
  ])('%s', (_name, known, code) => {
    expect(actorRefusal(patient.actor, known)?.code).toBe(code);
  });
});
