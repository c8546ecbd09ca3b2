import { CloseReason as ChainCloseReason } from '@sec-health/contracts';
import { ledgerIntent, type LedgerIntent } from '@sec-health/ledger';
import { uuidToBytes32, type CloseReason, type ReasonCode } from '@sec-health/protocol';
import { encodeBytes32String } from 'ethers';

// What the call center writes to EmergencyAccessLog, and the outbox keys that make each write
// happen once. Only pseudonymous references, the reason code and times reach the chain.

export const openKey = (sessionId: string) => `session:${sessionId}:open`;
export const closeKey = (sessionId: string) => `session:${sessionId}:close`;
export const reassignKey = (sessionId: string, ordinal: number) =>
  `session:${sessionId}:reassign:${ordinal}`;

/** The on-chain reason code: the HL7 code's ASCII, right-padded to bytes32. */
export const reasonCodeBytes32 = (code: ReasonCode) => encodeBytes32String(code);

export function openSessionIntent(fields: {
  readonly sessionId: string;
  readonly patientRef: string;
  readonly attendantRef: string;
  readonly collaboratorRef: string;
  readonly reasonCode: ReasonCode;
  readonly expiresAt: Date;
}): LedgerIntent {
  return ledgerIntent('EmergencyAccessLog', 'openSession', {
    sessionId: uuidToBytes32(fields.sessionId),
    patientRef: fields.patientRef,
    attendantRef: fields.attendantRef,
    collaboratorRef: fields.collaboratorRef,
    reasonCode: reasonCodeBytes32(fields.reasonCode),
    expiresAt: Math.floor(fields.expiresAt.getTime() / 1000),
  });
}

export function reassignSessionIntent(sessionId: string, collaboratorRef: string): LedgerIntent {
  return ledgerIntent('EmergencyAccessLog', 'reassignSession', {
    sessionId: uuidToBytes32(sessionId),
    collaboratorRef,
  });
}

const CHAIN_CLOSE_REASON: Readonly<Record<CloseReason, number>> = {
  completed: ChainCloseReason.Completed,
  cancelled: ChainCloseReason.Cancelled,
  expired: ChainCloseReason.Expired,
};

export function closeSessionIntent(sessionId: string, reason: CloseReason): LedgerIntent {
  return ledgerIntent('EmergencyAccessLog', 'closeSession', {
    sessionId: uuidToBytes32(sessionId),
    reason: CHAIN_CLOSE_REASON[reason],
  });
}
