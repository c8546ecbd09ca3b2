import { randomUUID } from 'node:crypto';

import {
  generateEncryptionKeyPair,
  generateParticipantKeys,
  randomBytes,
  sha256,
  toBase64Url,
  toHex,
  utf8,
  type EncryptionKeyPair,
  type ParticipantKeys,
} from '@sec-health/crypto';
import type { EmergencyServerSet, ResolvedParticipant, Role } from '@sec-health/protocol';
import type { Actor } from '@sec-health/service-kit';

/** A participant as the directory resolves it, with the real keys only its client holds. */
export interface TestParticipant {
  readonly resolved: ResolvedParticipant;
  readonly keys: ParticipantKeys;
  /** How the gateway asserts this participant (logged in with its current key version). */
  readonly actor: Actor;
}

export function participant(
  role: Role,
  overrides: Partial<Omit<ResolvedParticipant, 'keys'>> = {},
): TestParticipant {
  const keys = generateParticipantKeys();
  const id = overrides.id ?? randomUUID();
  const resolved: ResolvedParticipant = {
    id,
    role,
    kind: role === 'collaborator' ? 'physician' : null,
    organizationId: role === 'patient' ? null : randomUUID(),
    status: 'active',
    keys: {
      signing: toBase64Url(keys.signing.publicKey),
      encryption: toBase64Url(keys.encryption.publicKey),
    },
    keyVersion: 1,
    // A patient's reference is a random pseudonym; others' derive from the id (DESIGN.md 4).
    participantRef:
      role === 'patient'
        ? `0x${toHex(randomBytes(32))}`
        : `0x${toHex(sha256(utf8(`sec-health/participant-ref/v1:${id}`)))}`,
    ...overrides,
  };
  return {
    resolved,
    keys,
    actor: {
      id,
      role: resolved.role,
      organizationId: resolved.organizationId,
      keyVersion: resolved.keyVersion,
    },
  };
}

/** The emergency servers' set as the authority lists it, with their secret keys kept here. */
export interface TestEmergencySet {
  readonly set: EmergencyServerSet;
  readonly secretKeys: readonly EncryptionKeyPair[];
}

export function emergencySet(servers = 3, threshold = 2): TestEmergencySet {
  const secretKeys = Array.from({ length: servers }, () => generateEncryptionKeyPair());
  return {
    secretKeys,
    set: {
      threshold,
      servers: secretKeys.map((keys, i) => ({
        index: i + 1,
        participantId: randomUUID(),
        encryptionKey: toBase64Url(keys.publicKey),
        keyVersion: 1,
      })),
    },
  };
}
