import type { ResolvedParticipant } from '@sec-health/protocol';
import { describe, expect, it } from 'vitest';

import { actorProblem } from './actor-check.js';
import type { Actor } from './actor.js';

const actor: Actor = {
  id: '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f20',
  role: 'patient',
  organizationId: null,
  keyVersion: 1,
};
const known: ResolvedParticipant = {
  id: actor.id,
  role: 'patient',
  kind: null,
  organizationId: null,
  status: 'active',
  keys: {
    signing: 'o4mDQ0fhUz_k1g-yHLoEchQzbL4Gd3sM_1SWSvk3e1A',
    encryption: 'hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo',
  },
  keyVersion: 1,
  participantRef: `0x${'ab'.repeat(32)}`,
};

describe('actorProblem', () => {
  it.each([
    ['known, active, current keys', known, undefined],
    ['unknown to the authority', undefined, 'FORBIDDEN'],
    ['in another role than asserted', { ...known, role: 'collaborator' as const }, 'FORBIDDEN'],
    ['pending', { ...known, status: 'pending' as const }, 'FORBIDDEN'],
    ['revoked', { ...known, status: 'revoked' as const }, 'FORBIDDEN'],
    ['logged in before a key rotation', { ...known, keyVersion: 2 }, 'UNAUTHENTICATED'],
  ])('%s', (_name, participant, code) => {
    expect(actorProblem(actor, participant)?.code).toBe(code);
  });
});
