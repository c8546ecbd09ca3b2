import {
  ErrorCode,
  isProtocolError,
  type EmergencyServerSet,
  type PutRecordRequest,
  type ResolvedParticipant,
} from '@sec-health/protocol';
import { describe, expect, it } from 'vitest';

import { assertEmergencyShares, assertKeyRecipients } from './announcement-checks.js';

const id = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const PATIENT = id(1);
const AUTHOR = id(2);
const GRANTEE = id(3);
const SERVERS = [id(11), id(12), id(13)];

function resolved(participantId: string, keyVersion = 1): ResolvedParticipant {
  return { id: participantId, keyVersion } as ResolvedParticipant;
}

const set: EmergencyServerSet = {
  threshold: 2,
  servers: SERVERS.map((participantId, i) => ({
    index: i + 1,
    participantId,
    encryptionKey: 'k'.repeat(43),
    keyVersion: 1,
  })),
};

/** Only the parts the checks read: key recipients, the emergency metadata, the shares. */
function request(fields: {
  keys?: [recipientId: string, recipientKeyVersion: number][];
  threshold?: number;
  commitments?: [index: number, serverId: string][];
  shares?: [index: number, serverId: string][];
}): PutRecordRequest {
  const servers = SERVERS.map((serverId, i): [number, string] => [i + 1, serverId]);
  return {
    signed: {
      metadata: {
        emergency: {
          threshold: fields.threshold ?? 2,
          commitments: (fields.commitments ?? servers).map(([index, serverId]) => ({
            index,
            serverId,
            commitment: '0x',
          })),
        },
      },
    },
    keys: (
      fields.keys ?? [
        [PATIENT, 1],
        [AUTHOR, 1],
      ]
    ).map(([recipientId, recipientKeyVersion]) => ({
      recipientId,
      recipientKeyVersion,
      wrappedKey: '',
    })),
    shares: (fields.shares ?? servers).map(([index, serverId]) => ({
      index,
      serverId,
      sealedShare: '',
    })),
  } as unknown as PutRecordRequest;
}

function refusal(check: () => void): { code: string; reason: unknown; path: unknown } {
  try {
    check();
  } catch (error) {
    if (!isProtocolError(error)) throw error;
    const details = error.details as { reason?: unknown; issues?: { path: unknown }[] } | undefined;
    return { code: error.code, reason: details?.reason, path: details?.issues?.[0]?.path };
  }
  throw new Error('expected a refusal');
}

describe('assertKeyRecipients', () => {
  const patient = resolved(PATIENT);
  const author = resolved(AUTHOR);

  it('accepts one key each for the patient and the author at their current versions', () => {
    expect(() => assertKeyRecipients(request({}), patient, author)).not.toThrow();
  });

  it('accepts a single key when the patient is the author', () => {
    expect(() =>
      assertKeyRecipients(request({ keys: [[PATIENT, 1]] }), patient, patient),
    ).not.toThrow();
  });

  it.each([
    ['the author missing', [[PATIENT, 1]]],
    ['the patient missing', [[AUTHOR, 1]]],
    [
      'a key twice',
      [
        [PATIENT, 1],
        [PATIENT, 1],
      ],
    ],
    [
      'a grantee besides',
      [
        [PATIENT, 1],
        [AUTHOR, 1],
        [GRANTEE, 1],
      ],
    ],
    [
      'a grantee instead of the author',
      [
        [PATIENT, 1],
        [GRANTEE, 1],
      ],
    ],
    ['no key at all', []],
  ] as [string, [string, number][]][])('refuses %s', (_what, keys) => {
    expect(refusal(() => assertKeyRecipients(request({ keys }), patient, author))).toMatchObject({
      code: ErrorCode.ValidationFailed,
      path: 'keys',
    });
  });

  it('refuses a key wrapped to a key version that is not current', () => {
    const rotated = resolved(AUTHOR, 2);
    expect(refusal(() => assertKeyRecipients(request({}), patient, rotated))).toEqual({
      code: ErrorCode.ValidationFailed,
      reason: 'STALE_RECIPIENT_KEY',
      path: 'keys',
    });
  });
});

describe('assertEmergencyShares', () => {
  const changed = (path: string) => ({
    code: ErrorCode.ValidationFailed,
    reason: 'EMERGENCY_SET_CHANGED',
    path,
  });

  it('accepts commitments and shares for exactly the current set, shares in any order', () => {
    expect(() => assertEmergencyShares(request({}), set)).not.toThrow();
    const shuffled = request({
      shares: [
        [3, SERVERS[2]!],
        [1, SERVERS[0]!],
        [2, SERVERS[1]!],
      ],
    });
    expect(() => assertEmergencyShares(shuffled, set)).not.toThrow();
  });

  it('refuses another threshold', () => {
    expect(refusal(() => assertEmergencyShares(request({ threshold: 3 }), set))).toEqual(
      changed('signed.metadata.emergency.threshold'),
    );
  });

  it.each([
    [
      'one server fewer',
      [
        [1, SERVERS[0]],
        [2, SERVERS[1]],
      ],
    ],
    [
      'another server',
      [
        [1, SERVERS[0]],
        [2, SERVERS[1]],
        [3, GRANTEE],
      ],
    ],
    [
      'servers swapped',
      [
        [1, SERVERS[1]],
        [2, SERVERS[0]],
        [3, SERVERS[2]],
      ],
    ],
    [
      'one server more',
      [
        [1, SERVERS[0]],
        [2, SERVERS[1]],
        [3, SERVERS[2]],
        [4, GRANTEE],
      ],
    ],
  ] as [string, [number, string][]][])('refuses commitments with %s', (_what, commitments) => {
    expect(refusal(() => assertEmergencyShares(request({ commitments }), set))).toEqual(
      changed('signed.metadata.emergency.commitments'),
    );
  });

  it.each([
    [
      'one share fewer',
      [
        [1, SERVERS[0]],
        [2, SERVERS[1]],
      ],
    ],
    [
      'a share for another server',
      [
        [1, SERVERS[0]],
        [2, SERVERS[1]],
        [3, GRANTEE],
      ],
    ],
    [
      'a share twice',
      [
        [1, SERVERS[0]],
        [1, SERVERS[0]],
        [2, SERVERS[1]],
      ],
    ],
  ] as [string, [number, string][]][])('refuses %s', (_what, shares) => {
    expect(refusal(() => assertEmergencyShares(request({ shares }), set))).toEqual(
      changed('shares'),
    );
  });

  it('refuses to store while fewer than two emergency servers are registered', () => {
    const lonely = { threshold: 2, servers: set.servers.slice(0, 1) };
    expect(refusal(() => assertEmergencyShares(request({}), lonely)).code).toBe(
      ErrorCode.DependencyUnavailable,
    );
  });
});
