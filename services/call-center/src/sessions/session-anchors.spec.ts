import { randomUUID } from 'node:crypto';

import { uuidToBytes32 } from '@sec-health/protocol';
import { describe, expect, it } from 'vitest';

import {
  closeSessionIntent,
  openSessionIntent,
  reasonCodeBytes32,
  reassignSessionIntent,
} from './session-anchors.js';

const ref = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

describe('session anchors', () => {
  it('puts the reason code on chain as its ASCII right-padded to bytes32', () => {
    expect(reasonCodeBytes32('ETREAT')).toBe(`0x455452454154${'0'.repeat(52)}`);
    expect(reasonCodeBytes32('BTG')).toBe(`0x425447${'0'.repeat(58)}`);
  });

  it('opens with the named refs in ABI order and expiresAt in unix seconds', () => {
    const sessionId = randomUUID();
    const intent = openSessionIntent({
      sessionId,
      patientRef: ref(1),
      attendantRef: ref(2),
      collaboratorRef: ref(3),
      reasonCode: 'ETREAT',
      expiresAt: new Date('2026-12-01T11:00:00Z'),
    });
    expect(intent.kind).toBe('EmergencyAccessLog.openSession');
    expect(intent.payload.args).toEqual([
      uuidToBytes32(sessionId),
      ref(1),
      ref(2),
      ref(3),
      reasonCodeBytes32('ETREAT'),
      Date.parse('2026-12-01T11:00:00Z') / 1000,
    ]);
  });

  it.each([
    ['completed', 1],
    ['cancelled', 2],
    ['expired', 3],
  ] as const)('closes %s as CloseReason %s', (reason, chainReason) => {
    const sessionId = randomUUID();
    const intent = closeSessionIntent(sessionId, reason);
    expect(intent.kind).toBe('EmergencyAccessLog.closeSession');
    expect(intent.payload.args).toEqual([uuidToBytes32(sessionId), chainReason]);
  });

  it('reassigns with the new collaborator ref', () => {
    const sessionId = randomUUID();
    expect(reassignSessionIntent(sessionId, ref(4)).payload.args).toEqual([
      uuidToBytes32(sessionId),
      ref(4),
    ]);
  });
});
