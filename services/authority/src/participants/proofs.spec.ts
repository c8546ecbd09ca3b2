import { canonicalJson } from '@sec-health/crypto';
import { describe, expect, it } from 'vitest';

import { registrationMessage, rotateKeysMessage } from './proofs.js';

const KEYS = { signing: 'S'.repeat(43), encryption: 'E'.repeat(43) };

describe('signed messages', () => {
  it('registration: absent optional fields are left out', () => {
    const message = registrationMessage({
      role: 'patient',
      keys: KEYS,
      profile: { displayName: 'Ana' },
      proof: 'p',
    });
    expect(canonicalJson(message)).toBe(
      `{"keys":{"encryption":"${KEYS.encryption}","signing":"${KEYS.signing}"},"profile":{"displayName":"Ana"},"purpose":"sec-health/register/v1","role":"patient"}`,
    );
  });

  it('registration: every field present', () => {
    const message = registrationMessage({
      role: 'collaborator',
      kind: 'lab',
      organizationId: '0190f5a0-0000-7000-8000-00000000000a',
      keys: KEYS,
      profile: { displayName: 'Lab', email: 'lab@example.org' },
      proof: 'p',
    });
    expect(Object.keys(message)).toEqual([
      'purpose',
      'role',
      'kind',
      'organizationId',
      'keys',
      'profile',
    ]);
    expect(message.profile).toEqual({ displayName: 'Lab', email: 'lab@example.org' });
  });

  it('key rotation signs purpose, participant id and the new keys', () => {
    expect(rotateKeysMessage({ participantId: 'id', keys: KEYS, proof: 'p' })).toEqual({
      purpose: 'sec-health/rotate-keys/v1',
      participantId: 'id',
      keys: KEYS,
    });
  });
});
